// Backup and restore of what cannot be recomputed from GitHub. DORA records,
// rollups and the inbox are rebuilt by a backfill; the team's own metric
// records, the API tokens, each repository's recorded settings and the job
// history are not, so they are what a backup holds (BACKED_UP_TABLES).
//
// The backup reads every table in one consistent snapshot and writes the file
// under a temporary name first, so a crash never leaves a half-written file
// that looks complete. A restore checks the whole file (src/store/backup-file.ts),
// the schema version and that the tables are empty before it writes, then
// writes every table in one transaction: a failure leaves the database as it
// was.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import mysql from "mysql2/promise";
import type { FieldPacket } from "mysql2";
import { GENESIS_HASH } from "./audit-chain.js";
import { CorruptBackupError, decodeBackup, encodeBackup, BACKUP_FORMAT, BACKUP_FORMAT_VERSION } from "./backup-file.js";
import type { BackupManifest, BackupTable, BackupValue } from "./backup-file.js";
import { MS_PER_DAY } from "../dora/index.js";
import { mysqlConnectionOptions } from "./database-url.js";
import type { DatabaseSettings } from "./database-url.js";

/** The tables a backup holds, each with why it cannot come back from GitHub. */
export const BACKED_UP_TABLES: ReadonlyArray<{ name: string; why: string }> = [
  { name: "dora_metrics", why: "the team's own metric records (POST /api/dora/metrics, iact-bot import)" },
  { name: "api_tokens", why: "the hashes of the API tokens handed out" },
  { name: "dora_repo_settings", why: "the settings each repository was measured with" },
  { name: "job_runs", why: "the history of the scheduled jobs, which also tells the scheduler what already ran" },
  { name: "audit_log", why: "the append-only record of every state-changing action (its chain head is set from it on restore)" },
];

const FILE_PREFIX = "iact-backup-";
const FILE_SUFFIX = ".jsonl.gz";
/** Rows per INSERT on restore: well under max_allowed_packet for these tables' row sizes. */
const RESTORE_ROWS_PER_INSERT = 500;

export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

export interface BackupResult {
  file: string;
  bytes: number;
  schema: string;
  manifest: BackupManifest;
}

/** Writes one backup file into `directory` and returns where and what. */
export async function writeBackup(settings: DatabaseSettings, directory: string, now = new Date()): Promise<BackupResult> {
  const connection = await connect(settings);
  let tables: BackupTable[];
  let schema: string;
  try {
    await connection.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    await connection.query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    schema = await schemaVersion(connection);
    tables = [];
    for (const { name } of BACKED_UP_TABLES) tables.push(await readTable(connection, name));
    await connection.query("COMMIT");
  } finally {
    await connection.end();
  }
  const { lines, manifest } = encodeBackup({
    header: { format: BACKUP_FORMAT, version: BACKUP_FORMAT_VERSION, schema, createdAt: now.toISOString() },
    tables,
  });
  const compressed = gzipSync(`${lines.join("\n")}\n`);
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, backupFileName(now));
  const partial = `${file}.partial`;
  await writeFile(partial, compressed, { mode: 0o600 });
  await rename(partial, file);
  return { file, bytes: compressed.length, schema, manifest };
}

/**
 * Restores a backup file into a database that has the same schema version
 * and empty backed-up tables. Refuses (RestoreRefusedError or
 * CorruptBackupError) without writing anything otherwise.
 */
export async function restoreBackup(settings: DatabaseSettings, file: string): Promise<BackupManifest> {
  const { contents, manifest } = decodeBackup(gunzipFile(await readFile(file), file));
  const connection = await connect(settings);
  try {
    const schema = await schemaVersion(connection);
    if (schema !== contents.header.schema) {
      throw new RestoreRefusedError(
        `the backup is of schema ${contents.header.schema} and the database is at ${schema}; migrate a database to the backup's version (run the iact-bot version that wrote it) and restore there`,
      );
    }
    const known = new Set(BACKED_UP_TABLES.map((table) => table.name));
    for (const table of contents.tables) {
      if (!known.has(table.name)) throw new RestoreRefusedError(`the backup holds table ${table.name}, which a restore does not write`);
      const columns = await columnNames(connection, table.name);
      if (columns.join(",") !== table.columns.join(",")) {
        throw new RestoreRefusedError(`table ${table.name} has columns (${columns.join(", ")}) in the database but (${table.columns.join(", ")}) in the backup`);
      }
      const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM \`${table.name}\``);
      const count = Number((rows as Array<{ n: number | string }>)[0]!.n);
      if (count > 0) throw new RestoreRefusedError(`a restore goes into an empty database, and table ${table.name} has ${count} rows`);
    }
    await connection.query("START TRANSACTION");
    try {
      for (const table of contents.tables) await insertRows(connection, table);
      await continueAuditChain(connection);
      await connection.query("COMMIT");
    } catch (error) {
      await connection.query("ROLLBACK");
      throw error;
    }
  } finally {
    await connection.end();
  }
  return manifest;
}

/** Deletes this directory's backup files older than `keepDays` (by the time in their name). */
export async function pruneBackups(directory: string, keepDays: number, now = new Date()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const cutoff = now.getTime() - keepDays * MS_PER_DAY;
  const removed: string[] = [];
  for (const name of names) {
    const taken = backupTimeOf(name);
    if (taken === null || taken.getTime() >= cutoff) continue;
    await rm(path.join(directory, name));
    removed.push(name);
  }
  return removed;
}

export function backupFileName(time: Date): string {
  return `${FILE_PREFIX}${time.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}${FILE_SUFFIX}`;
}

function backupTimeOf(name: string): Date | null {
  const match = /^iact-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.jsonl\.gz$/.exec(name);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
}

function gunzipFile(bytes: Buffer, file: string): string {
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch (error) {
    throw new CorruptBackupError(`${file} is not a complete gzip file (${(error as Error).message})`);
  }
}

async function connect(settings: DatabaseSettings): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    ...mysqlConnectionOptions(settings),
    multipleStatements: false,
    // Values as MySQL's own text (binary columns as bytes): DECIMALs,
    // BIGINTs, DATETIMEs and JSON come back exactly as stored, with no
    // rounding or time-zone shift, and go back the same way.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
  });
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

async function schemaVersion(connection: mysql.Connection): Promise<string> {
  const [rows] = await connection.query(
    "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1",
  );
  const name = (rows as Array<{ migration_name: string }>)[0]?.migration_name;
  if (!name) throw new RestoreRefusedError("the database has no applied migration; run iact-bot migrate first");
  return name;
}

async function columnNames(connection: mysql.Connection, table: string): Promise<string[]> {
  const [rows] = await connection.query(
    "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
    [table],
  );
  return (rows as Array<{ name: string }>).map((row) => row.name);
}

async function readTable(connection: mysql.Connection, name: string): Promise<BackupTable> {
  const columns = await columnNames(connection, name);
  const [primary] = await connection.query(
    "SELECT column_name AS name FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position",
    [name],
  );
  const order = (primary as Array<{ name: string }>).map((row) => `\`${row.name}\``).join(", ");
  const [rows] = (await connection.query({ sql: `SELECT * FROM \`${name}\`${order ? ` ORDER BY ${order}` : ""}`, rowsAsArray: true })) as [unknown[][], FieldPacket[]];
  return { name, columns, rows: rows.map((row) => row.map(toBackupValue)) };
}

function toBackupValue(value: unknown): BackupValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return { $base64: value.toString("base64") };
  return String(value);
}

function fromBackupValue(value: BackupValue): string | Buffer | null {
  if (value === null || typeof value === "string") return value;
  return Buffer.from(value.$base64, "base64");
}

/** The audit chain's head follows the last restored entry, so the next append links to it. */
async function continueAuditChain(connection: mysql.Connection): Promise<void> {
  await connection.query("INSERT IGNORE INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, ?)", [GENESIS_HASH]);
  await connection.query(
    `UPDATE audit_chain_head SET
       last_id = COALESCE((SELECT MAX(id) FROM audit_log), 0),
       last_hash = COALESCE((SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1), ?)
     WHERE id = 1`,
    [GENESIS_HASH],
  );
}

async function insertRows(connection: mysql.Connection, table: BackupTable): Promise<void> {
  const columns = table.columns.map((column) => `\`${column}\``).join(", ");
  const placeholders = `(${table.columns.map(() => "?").join(", ")})`;
  for (let start = 0; start < table.rows.length; start += RESTORE_ROWS_PER_INSERT) {
    const chunk = table.rows.slice(start, start + RESTORE_ROWS_PER_INSERT);
    await connection.query(
      `INSERT INTO \`${table.name}\` (${columns}) VALUES ${chunk.map(() => placeholders).join(", ")}`,
      chunk.flatMap((row) => row.map(fromBackupValue)),
    );
  }
}
