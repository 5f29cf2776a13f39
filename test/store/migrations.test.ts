// The offline migration runner, against a scratch database of its own.
import { cp, mkdtemp, mkdir, writeFile, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, defaultMigrationsDir, MigrationError, readMigrations } from "../../src/store/migrations.js";
import { dropAllTables, testDatabaseSettings, withConnection } from "../support/database.js";

const scratch = { ...testDatabaseSettings(), database: `${testDatabaseSettings().database}_migrations` };

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "iact-migrations-"));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

describe("applyMigrations", () => {
  beforeEach(async () => {
    await withConnection(async (connection) => {
      await connection.query(`CREATE DATABASE IF NOT EXISTS \`${scratch.database}\``);
    });
    await dropAllTables(scratch);
  });

  it("applies every migration once and records it like prisma migrate does", async () => {
    const migrations = await readMigrations(defaultMigrationsDir());
    const first = await applyMigrations(scratch);
    expect(first.applied).toEqual(migrations.map((migration) => migration.name));
    const second = await applyMigrations(scratch);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.map((migration) => migration.name) });

    const rows = await withConnection(async (connection) => {
      const [result] = await connection.query(
        "SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at, logs, LENGTH(id) AS id_length FROM _prisma_migrations ORDER BY migration_name",
      );
      return result as Array<Record<string, unknown>>;
    }, scratch);
    expect(rows).toHaveLength(migrations.length);
    rows.forEach((row, index) => {
      expect(row.migration_name).toBe(migrations[index]!.name);
      expect(row.checksum).toBe(migrations[index]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.id_length).toBe(36);
    });
  });

  it("refuses to run when an applied migration's file has changed", async () => {
    const dir = await copyOfMigrations();
    await applyMigrations(scratch, dir);
    const [firstMigration] = await readMigrations(dir);
    await appendFile(path.join(dir, firstMigration!.name, "migration.sql"), "\n-- edited afterwards\n");
    await expect(applyMigrations(scratch, dir)).rejects.toThrow(/was modified after it was applied/);
  });

  it("records a failing migration and refuses to continue until it is repaired", async () => {
    const dir = await copyOfMigrations();
    await mkdir(path.join(dir, "29990101000000_broken"));
    await writeFile(path.join(dir, "29990101000000_broken", "migration.sql"), "CREATE TABLE broken_one (id INT);\nTHIS IS NOT SQL;\n");
    const failure = await applyMigrations(scratch, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(/29990101000000_broken failed/);
    const again = await applyMigrations(scratch, dir).catch((error: unknown) => error);
    expect((again as Error).message).toMatch(/failed earlier and left the schema in an unknown state/);
  });

  it("refuses a database that has migrations this code does not know", async () => {
    const dir = await copyOfMigrations();
    await applyMigrations(scratch, dir);
    await withConnection(async (connection) => {
      await connection.query(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES (UUID(), REPEAT('0', 64), '29991231000000_from_the_future', NOW(3), 1)",
      );
    }, scratch);
    await expect(applyMigrations(scratch, dir)).rejects.toThrow(/not in .*this code is older than the database/);
  });
});
