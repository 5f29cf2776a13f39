// Applies the SQL migrations in prisma/migrations without Prisma's native
// schema engine (it cannot be downloaded on an offline machine), recording
// each one in `_prisma_migrations` exactly as `prisma migrate deploy` does:
// same table, same sha256 checksum of migration.sql, same columns. Where the
// Prisma CLI can run, `prisma migrate status` therefore agrees with us.
//
// MySQL DDL is not transactional, so a migration that fails half-way is
// recorded as failed (finished_at NULL, logs = the error) and every later run
// refuses to continue until a human has repaired the schema and removed or
// resolved that row: the same contract as Prisma's.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";
import { mysqlConnectionOptions } from "./database-url.js";
import type { DatabaseSettings } from "./database-url.js";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationOutcome {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS \`_prisma_migrations\` (
    \`id\`                    VARCHAR(36) PRIMARY KEY NOT NULL,
    \`checksum\`              VARCHAR(64) NOT NULL,
    \`finished_at\`           DATETIME(3),
    \`migration_name\`        VARCHAR(255) NOT NULL,
    \`logs\`                  TEXT,
    \`rolled_back_at\`        DATETIME(3),
    \`started_at\`            DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    \`applied_steps_count\`   INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** Several replicas may start at once; only one migrates at a time. */
const LOCK_NAME = "iact_bot_migrate";
const LOCK_TIMEOUT_SECONDS = 120;

export class MigrationError extends Error {
  override name = "MigrationError";
}

export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
}

export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
    migrations.push({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return migrations;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

export async function applyMigrations(
  settings: DatabaseSettings,
  migrationsDir = defaultMigrationsDir(),
  log: (line: string) => void = () => {},
): Promise<MigrationOutcome> {
  const migrations = await readMigrations(migrationsDir);
  const connection = await mysql.createConnection(mysqlConnectionOptions(settings));
  try {
    const [lockRows] = await connection.query("SELECT GET_LOCK(?, ?) AS acquired", [LOCK_NAME, LOCK_TIMEOUT_SECONDS]);
    if ((lockRows as Array<{ acquired: number | null }>)[0]?.acquired !== 1) {
      throw new MigrationError(`Another process has held the migration lock for ${LOCK_TIMEOUT_SECONDS} s; try again when it finishes.`);
    }
    try {
      await connection.query(MIGRATIONS_TABLE_SQL);
      const [rows] = await connection.query(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at",
      );
      const applied = new Map<string, AppliedRow>();
      for (const row of rows as AppliedRow[]) {
        if (row.rolled_back_at) continue;
        const failed = row.finished_at === null;
        if (failed) {
          throw new MigrationError(
            `Migration ${row.migration_name} failed earlier and left the schema in an unknown state:\n${row.logs ?? "(no log)"}\n` +
              "Repair the schema by hand, then delete its row from _prisma_migrations (or set rolled_back_at) and run migrate again.",
          );
        }
        applied.set(row.migration_name, row);
      }
      const known = new Set(migrations.map((migration) => migration.name));
      for (const name of applied.keys()) {
        if (!known.has(name)) {
          throw new MigrationError(`The database has migration ${name}, which is not in ${migrationsDir}; this code is older than the database.`);
        }
      }

      const outcome: MigrationOutcome = { applied: [], alreadyApplied: [] };
      for (const migration of migrations) {
        const record = applied.get(migration.name);
        if (record) {
          if (record.checksum !== migration.checksum) {
            throw new MigrationError(
              `Migration ${migration.name} was modified after it was applied (checksum ${record.checksum} in the database, ${migration.checksum} on disk). ` +
                "Applied migrations must never change: restore the file and add a new migration instead.",
            );
          }
          outcome.alreadyApplied.push(migration.name);
          continue;
        }
        await applyOne(connection, migration);
        log(`applied ${migration.name}`);
        outcome.applied.push(migration.name);
      }
      return outcome;
    } finally {
      await connection.query("SELECT RELEASE_LOCK(?)", [LOCK_NAME]);
    }
  } finally {
    await connection.end();
  }
}

async function applyOne(connection: mysql.Connection, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await connection.query(
    "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, CURRENT_TIMESTAMP(3), 0)",
    [id, migration.checksum, migration.name],
  );
  try {
    await connection.query(migration.sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await connection.query("UPDATE _prisma_migrations SET logs = ? WHERE id = ?", [message, id]);
    throw new MigrationError(`Migration ${migration.name} failed: ${message}`);
  }
  await connection.query(
    "UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?",
    [id],
  );
}
