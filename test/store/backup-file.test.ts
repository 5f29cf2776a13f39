// The backup file format on its own: what it writes reads back the same, and
// every kind of damage is refused with a message that says what is wrong.
import { describe, expect, it } from "vitest";
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, CorruptBackupError, decodeBackup, encodeBackup } from "../../src/store/backup-file.js";
import type { BackupContents } from "../../src/store/backup-file.js";

const contents: BackupContents = {
  header: { format: BACKUP_FORMAT, version: BACKUP_FORMAT_VERSION, schema: "20261129000000_job_runs", createdAt: "2026-11-29T02:00:00.000Z" },
  tables: [
    { name: "dora_metrics", columns: ["id", "cycle_id", "metadata"], rows: [["1", "C-1", '{"a": 1}'], ["2", "C-2\nline", null]] },
    { name: "api_tokens", columns: ["id", "blob"], rows: [["7", { $base64: Buffer.from([0, 255, 10]).toString("base64") }]] },
    { name: "dora_repo_settings", columns: ["id"], rows: [] },
  ],
};

function text(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

function decodeError(lines: string[]): string {
  try {
    decodeBackup(text(lines));
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptBackupError);
    return (error as Error).message;
  }
  throw new Error("the damaged file was accepted");
}

describe("backup file", () => {
  it("reads back exactly what it wrote, with a row count per table in the manifest", () => {
    const { lines, manifest } = encodeBackup(contents);
    const decoded = decodeBackup(text(lines));
    expect(decoded.contents).toEqual(contents);
    expect(decoded.manifest).toEqual(manifest);
    expect(Object.fromEntries(Object.entries(manifest).map(([table, entry]) => [table, entry.rows]))).toEqual({ dora_metrics: 2, api_tokens: 1, dora_repo_settings: 0 });
  });

  it("refuses a truncated file: without its manifest line, or cut in a row", () => {
    const { lines } = encodeBackup(contents);
    expect(decodeError(lines.slice(0, -1))).toMatch(/not the manifest|does not match its .* columns|neither a row/);
    expect(decodeError([...lines.slice(0, 3), lines[3]!.slice(0, 5), lines.at(-1)!])).toBe("line 4 is not valid JSON");
    expect(decodeError([lines[0]!])).toContain("truncated");
  });

  it("refuses an edited row, a removed row and a table the manifest does not name", () => {
    const { lines } = encodeBackup(contents);
    const edited = [...lines];
    edited[2] = JSON.stringify(["1", "C-9", '{"a": 1}']);
    expect(decodeError(edited)).toBe("table dora_metrics does not match its checksum in the manifest");
    expect(decodeError(lines.filter((_, index) => index !== 3))).toBe("table dora_metrics has 1 rows; the manifest says 2");
    const extra = [...lines.slice(0, -1), JSON.stringify({ table: "job_runs", columns: ["id"] }), lines.at(-1)!];
    expect(decodeError(extra)).toBe("table job_runs is in the file but not the manifest");
  });

  it("refuses another format, another format version and rows that do not fit their columns", () => {
    const { lines } = encodeBackup(contents);
    expect(decodeError([JSON.stringify({ format: "mysqldump" }), ...lines.slice(1)])).toBe(`line 1 is not an ${BACKUP_FORMAT} header`);
    expect(decodeError([JSON.stringify({ ...contents.header, version: 99 }), ...lines.slice(1)])).toContain("format version 99");
    const wide = [...lines];
    wide[2] = JSON.stringify(["1", "C-1", "{}", "extra"]);
    expect(decodeError(wide)).toBe("line 3: a row of dora_metrics does not match its 3 columns");
    const typed = [...lines];
    typed[2] = JSON.stringify([1, "C-1", "{}"]);
    expect(decodeError(typed)).toBe("line 3: a row of dora_metrics does not match its 3 columns");
  });
});
