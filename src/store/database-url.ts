// DATABASE_URL is the one way to point iact-bot at MySQL/MariaDB. Both the
// Prisma adapter (mariadb driver) and the migration runner (mysql2) take its
// parts rather than the string, so the parsing lives here once.
import type { ConnectionOptions } from "mysql2";

export interface DatabaseSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Extra driver options from the query string, e.g. connectionLimit=10. */
  connectionLimit: number;
  /** `statement_timeout=N`: seconds a statement may run before the server cancels it (default 60). */
  statementTimeoutSeconds?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_SECONDS = 60;

export function parseDatabaseUrl(databaseUrl: string): DatabaseSettings {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error("DATABASE_URL is not a URL; expected mysql://user:password@host:port/database");
  }
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:") {
    throw new Error(`DATABASE_URL must start with mysql:// or mariadb://, got ${url.protocol}//`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new Error("DATABASE_URL names no database; expected mysql://user:password@host:port/database");
  const connectionLimit = Number(url.searchParams.get("connection_limit") ?? url.searchParams.get("connectionLimit") ?? 10);
  const statementTimeout = url.searchParams.get("statement_timeout");
  const statementTimeoutSeconds = statementTimeout === null ? DEFAULT_STATEMENT_TIMEOUT_SECONDS : Number(statementTimeout);
  if (!Number.isInteger(statementTimeoutSeconds) || statementTimeoutSeconds < 1 || statementTimeoutSeconds > 86_400) {
    throw new Error(`DATABASE_URL's statement_timeout must be a whole number of seconds from 1 to 86400, got ${statementTimeout}`);
  }
  return {
    host: url.hostname || "127.0.0.1",
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    connectionLimit: Number.isInteger(connectionLimit) && connectionLimit > 0 ? connectionLimit : 10,
    statementTimeoutSeconds,
  };
}

/** The URL with the password replaced, for logs and error messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
  const unparseable = "(unparseable DATABASE_URL)";
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return unparseable;
  }
  // "user:secret@host/db" parses as a URL of scheme "user:" with the
  // password in its path: only a mysql:// URL has a password field to hide.
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:") return unparseable;
  if (url.password) url.password = "***";
  return url.toString();
}

/**
 * mysql2 options for a connection of our own (migrations, tooling, tests):
 * UTC times, several statements per query. `database: false` connects to
 * the server only (to create the database).
 */
export function mysqlConnectionOptions(settings: DatabaseSettings, options: { database?: boolean } = {}): ConnectionOptions {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    ...(options.database !== false && settings.database ? { database: settings.database } : {}),
    multipleStatements: true,
    timezone: "Z",
  };
}
