// The test database: a real MariaDB/MySQL database (default iact_test, made
// by scripts/services/mariadb.sh), migrated once per run by the global setup
// and emptied between tests.
import mysql from "mysql2/promise";
import { mysqlConnectionOptions, parseDatabaseUrl } from "../../src/store/database-url.js";
import type { DatabaseSettings } from "../../src/store/database-url.js";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "mysql://iact:iact@127.0.0.1:3306/iact_test";

export function testDatabaseSettings(): DatabaseSettings {
  return parseDatabaseUrl(TEST_DATABASE_URL);
}

export async function withConnection<T>(work: (connection: mysql.Connection) => Promise<T>, settings = testDatabaseSettings()): Promise<T> {
  const connection = await mysql.createConnection(mysqlConnectionOptions(settings));
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function tableNames(connection: mysql.Connection): Promise<string[]> {
  const [rows] = await connection.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()");
  return (rows as Array<{ name: string }>).map((row) => row.name);
}

/** Creates the test database when missing (the app user may create iact_test*). */
export async function ensureDatabase(settings = testDatabaseSettings()): Promise<void> {
  await withConnection(async (connection) => {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${settings.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }, { ...settings, database: "" });
}

/** Drops every table (migrations included): the next migrate starts from nothing. */
export async function dropAllTables(settings = testDatabaseSettings()): Promise<void> {
  await withConnection(async (connection) => {
    const names = await tableNames(connection);
    if (names.length === 0) return;
    await connection.query(`SET FOREIGN_KEY_CHECKS = 0; ${names.map((name) => `DROP TABLE \`${name}\`;`).join(" ")} SET FOREIGN_KEY_CHECKS = 1;`);
  }, settings);
}

/** Empties every application table, keeping the schema and the migration history. */
export async function truncateAllTables(): Promise<void> {
  await withConnection(async (connection) => {
    const names = (await tableNames(connection)).filter((name) => name !== "_prisma_migrations");
    if (names.length === 0) return;
    await connection.query(`SET FOREIGN_KEY_CHECKS = 0; ${names.map((name) => `TRUNCATE TABLE \`${name}\`;`).join(" ")} SET FOREIGN_KEY_CHECKS = 1;`);
  });
}
