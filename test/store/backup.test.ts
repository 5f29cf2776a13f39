// Backup and restore against real MariaDB: a backup restored into an empty
// database of the same schema reproduces every row of every backed-up table
// (compared table by table, as MySQL's text), and a corrupt file, an older
// schema or a database that is not empty is refused with nothing changed.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { CorruptBackupError } from "../../src/store/backup-file.js";
import { BACKED_UP_TABLES, backupFileName, pruneBackups, restoreBackup, RestoreRefusedError, writeBackup } from "../../src/store/backup.js";
import { appendAudit, verifyAuditLog } from "../../src/store/audit-log.js";
import { applyMigrations } from "../../src/store/migrations.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { dropAllTables, ensureDatabase, testDatabaseSettings, withConnection } from "../support/database.js";
import { prismaForAllTests } from "../support/prisma.js";

const source = testDatabaseSettings();
const target = { ...source, database: `${source.database}_restore` };

/** Every row of a table as MySQL's text, in primary-key order. */
async function tableText(settings: typeof source, table: string): Promise<unknown[][]> {
  return withConnection(async (connection) => {
    const [rows] = await connection.query({ sql: `SELECT * FROM \`${table}\` ORDER BY 1`, rowsAsArray: true, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
    return rows as unknown[][];
  }, settings);
}

async function emptyTarget(): Promise<void> {
  await ensureDatabase(target);
  await dropAllTables(target);
  await applyMigrations(target);
}

async function fill(prisma: PrismaClient): Promise<void> {
  await prisma.apiToken.createMany({
    data: [
      { name: "ci", scope: "write", tokenHash: "a".repeat(64), prefix: "iact_ab", createdAt: new Date("2026-01-02T03:04:05.678Z"), repoScope: { repos: ["acme/web"] } },
      { name: "old", scope: "read", tokenHash: "b".repeat(64), prefix: "iact_cd", revokedAt: new Date("2026-06-01T00:00:00.001Z") },
    ],
  });
  await prisma.teamMetric.createMany({
    data: Array.from({ length: 1_203 }, (_, index) => ({
      cycleId: `C-${index}`,
      featureId: `F-${index % 17}`,
      phaseName: ["planning", "testing", "deployment", "maintenance"][index % 4]!,
      decision: "go",
      durationSeconds: (index * 1234.56) % 99_999_999.99,
      metadata: { note: `ñandú "quoted" \\ ${index}`, nested: { list: [1, 2.5, null, true] } },
      createdAt: new Date(Date.UTC(2026, 0, 1) + index * 61_001),
    })),
  });
  await prisma.doraRepoSettings.create({ data: { repo: "acme/web", settings: { environments: ["production"] }, settingsHash: "c".repeat(64), updatedAt: new Date("2026-11-01T00:00:00Z") } });
  await appendAudit(prisma, { actor: "cli:ops", action: "token.created", target: "token:ci", details: { scope: "write" } });
  await appendAudit(prisma, { actor: "token:ci", action: "metric_record.created", target: "dora_metrics:C-0" });
  await prisma.jobRun.create({
    data: { job: "backup", scheduledFor: new Date("2026-11-28T02:00:00Z"), trigger: "schedule", status: "succeeded", holder: "a", leaseUntil: new Date("2026-11-28T02:05:00Z"), startedAt: new Date("2026-11-28T02:00:00.250Z"), finishedAt: new Date("2026-11-28T02:00:01Z"), counts: { rows: 3 } },
  });
}

describe("backup and restore", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), "iact-backup-test-"));
  });

  it("restores into an empty database every row of every backed-up table, table by table", async () => {
    await fill(prisma);
    const backup = await writeBackup(source, directory, new Date("2026-11-29T02:00:00Z"));
    expect(path.basename(backup.file)).toBe("iact-backup-20261129T020000Z.jsonl.gz");
    expect(backup.manifest.dora_metrics!.rows).toBe(1_203);
    await emptyTarget();
    const restored = await restoreBackup(target, backup.file);
    expect(restored).toEqual(backup.manifest);
    for (const { name } of BACKED_UP_TABLES) {
      const original = await tableText(source, name);
      expect(original.length, name).toBeGreaterThan(0);
      expect(await tableText(target, name), name).toEqual(original);
    }
    // The restored audit chain verifies, and the next entry links to it.
    const restoredClient = createPrismaClient(target);
    try {
      await appendAudit(restoredClient, { actor: "cli:ops", action: "backup.restored", target: backup.file });
      expect(await verifyAuditLog(restoredClient)).toMatchObject({ ok: true, entries: 3 });
    } finally {
      await restoredClient.$disconnect();
    }
  });

  it("refuses a restore into a database whose tables are not empty, and changes nothing", async () => {
    await fill(prisma);
    const backup = await writeBackup(source, directory);
    const before = await tableText(source, "dora_metrics");
    await expect(restoreBackup(source, backup.file)).rejects.toThrow(new RestoreRefusedError("a restore goes into an empty database, and table dora_metrics has 1203 rows"));
    expect(await tableText(source, "dora_metrics")).toEqual(before);
  });

  it("refuses a corrupt file (damaged gzip, an edited row) and leaves the empty database empty", async () => {
    await fill(prisma);
    const backup = await writeBackup(source, directory);
    await emptyTarget();
    const bytes = await readFile(backup.file);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const damagedFile = path.join(directory, "damaged.jsonl.gz");
    await writeFile(damagedFile, damaged);
    await expect(restoreBackup(target, damagedFile)).rejects.toThrow(CorruptBackupError);

    const edited = gunzipSync(bytes).toString("utf8").replace('"C-5"', '"C-X"');
    const editedFile = path.join(directory, "edited.jsonl.gz");
    await writeFile(editedFile, gzipSync(edited));
    await expect(restoreBackup(target, editedFile)).rejects.toThrow("table dora_metrics does not match its checksum in the manifest");

    for (const { name } of BACKED_UP_TABLES) expect(await tableText(target, name), name).toEqual([]);
  });

  it("refuses a backup of another schema version", async () => {
    const backup = await writeBackup(source, directory);
    const text = gunzipSync(await readFile(backup.file)).toString("utf8");
    const [header, ...rest] = text.split("\n");
    const older = path.join(directory, "older.jsonl.gz");
    await writeFile(older, gzipSync([JSON.stringify({ ...JSON.parse(header!), schema: "20261127000000_webhook_inbox" }), ...rest].join("\n")));
    await emptyTarget();
    await expect(restoreBackup(target, older)).rejects.toThrow(/the backup is of schema 20261127000000_webhook_inbox and the database is at \d+_/);
  });

  it("prunes only its own files older than the retention, by the time in their names", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "iact-backup-prune-"));
    const now = new Date("2026-11-29T02:00:00Z");
    const old = backupFileName(new Date("2026-10-29T01:59:59Z"));
    const kept = backupFileName(new Date("2026-10-30T02:00:00Z"));
    for (const name of [old, kept, "notes.txt"]) await writeFile(path.join(folder, name), "x");
    expect(await pruneBackups(folder, 30, now)).toEqual([old]);
    expect(await pruneBackups(path.join(folder, "missing"), 30, now)).toEqual([]);
  });
});
