// The backup file: gzip-compressed JSON lines, written and checked without a
// database. Line 1 is the header (format, schema version, time), then per
// table one line naming its columns followed by one line per row (an array of
// values in column order), and the last line is the manifest: per table its
// row count and the sha256 of its lines. A file is accepted only when every
// line parses, every table's count and checksum match, and the manifest is
// the last line: a truncated or edited file is refused before anything is
// written to the database.
//
// Values are what MySQL gives as text (numbers, DECIMALs, DATETIMEs and JSON
// as strings, so nothing is rounded or shifted by a time zone) or null;
// binary columns are {"$base64": "..."}.
import { createHash } from "node:crypto";

export const BACKUP_FORMAT = "iact-bot-backup";
export const BACKUP_FORMAT_VERSION = 1;

export type BackupValue = string | null | { $base64: string };

export interface BackupTable {
  name: string;
  columns: string[];
  rows: BackupValue[][];
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** The last migration applied to the database the backup was taken from. */
  schema: string;
  createdAt: string;
}

export interface BackupContents {
  header: BackupHeader;
  tables: BackupTable[];
}

export type BackupManifest = Record<string, { rows: number; sha256: string }>;

export class CorruptBackupError extends Error {
  override name = "CorruptBackupError";
}

/** The file's lines (without the trailing newline of the last). */
export function encodeBackup(contents: BackupContents): { lines: string[]; manifest: BackupManifest } {
  const lines = [JSON.stringify(contents.header)];
  const manifest: BackupManifest = {};
  for (const table of contents.tables) {
    const tableLines = [JSON.stringify({ table: table.name, columns: table.columns }), ...table.rows.map((row) => JSON.stringify(row))];
    manifest[table.name] = { rows: table.rows.length, sha256: checksum(tableLines) };
    lines.push(...tableLines);
  }
  lines.push(JSON.stringify({ manifest }));
  return { lines, manifest };
}

/** Reads and checks a whole file's lines; throws CorruptBackupError saying what is wrong. */
export function decodeBackup(text: string): { contents: BackupContents; manifest: BackupManifest } {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length < 2) throw new CorruptBackupError("the file has no header or no manifest (truncated?)");
  const header = parseLine(lines[0]!, 1) as Partial<BackupHeader>;
  if (header.format !== BACKUP_FORMAT) throw new CorruptBackupError(`line 1 is not an ${BACKUP_FORMAT} header`);
  if (header.version !== BACKUP_FORMAT_VERSION) {
    throw new CorruptBackupError(`backup format version ${String(header.version)}; this version of iact-bot reads version ${BACKUP_FORMAT_VERSION}`);
  }
  if (typeof header.schema !== "string" || typeof header.createdAt !== "string") throw new CorruptBackupError("the header has no schema version or creation time");
  const last = parseLine(lines.at(-1)!, lines.length) as { manifest?: BackupManifest };
  if (!last.manifest || typeof last.manifest !== "object") throw new CorruptBackupError("the last line is not the manifest (truncated?)");

  const tables: BackupTable[] = [];
  const tableLines = new Map<string, string[]>();
  for (let index = 1; index < lines.length - 1; index++) {
    const line = lines[index]!;
    const value = parseLine(line, index + 1);
    if (Array.isArray(value)) {
      const table = tables.at(-1);
      if (!table) throw new CorruptBackupError(`line ${index + 1} is a row before any table`);
      if (value.length !== table.columns.length || !value.every(isBackupValue)) {
        throw new CorruptBackupError(`line ${index + 1}: a row of ${table.name} does not match its ${table.columns.length} columns`);
      }
      table.rows.push(value as BackupValue[]);
      tableLines.get(table.name)!.push(line);
      continue;
    }
    const start = value as { table?: unknown; columns?: unknown };
    if (typeof start.table !== "string" || !Array.isArray(start.columns) || !start.columns.every((column) => typeof column === "string")) {
      throw new CorruptBackupError(`line ${index + 1} is neither a row nor a table's column list`);
    }
    if (tableLines.has(start.table)) throw new CorruptBackupError(`table ${start.table} appears twice`);
    tables.push({ name: start.table, columns: start.columns as string[], rows: [] });
    tableLines.set(start.table, [line]);
  }

  const manifest = last.manifest;
  const named = new Set([...Object.keys(manifest), ...tableLines.keys()]);
  for (const name of named) {
    const expected = manifest[name];
    const found = tableLines.get(name);
    if (!expected || !found) throw new CorruptBackupError(`table ${name} is in ${expected ? "the manifest but not the file" : "the file but not the manifest"}`);
    const rows = found.length - 1;
    if (rows !== expected.rows) throw new CorruptBackupError(`table ${name} has ${rows} rows; the manifest says ${expected.rows}`);
    if (checksum(found) !== expected.sha256) throw new CorruptBackupError(`table ${name} does not match its checksum in the manifest`);
  }
  return { contents: { header: header as BackupHeader, tables }, manifest };
}

function checksum(lines: string[]): string {
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line).update("\n");
  return hash.digest("hex");
}

function parseLine(line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new CorruptBackupError(`line ${number} is not valid JSON`);
  }
}

function isBackupValue(value: unknown): boolean {
  if (value === null || typeof value === "string") return true;
  return typeof value === "object" && !Array.isArray(value) && typeof (value as { $base64?: unknown }).$base64 === "string" && Object.keys(value).length === 1;
}
