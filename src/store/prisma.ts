// The Prisma client, talking to MySQL/MariaDB through the MariaDB driver
// adapter (Prisma 7 has no bundled query engine: the adapter is the driver).
import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { PrismaClient } from "./generated/client.js";
import { DEFAULT_STATEMENT_TIMEOUT_SECONDS } from "./database-url.js";
import type { DatabaseSettings } from "./database-url.js";
import { guardIntegerRange } from "./integer-range-guard.js";
import { rawQueryCode } from "./unfixable-errors.js";

export type { PrismaClient } from "./generated/client.js";
export { Prisma } from "./generated/client.js";

/** InnoDB's own default; a lock wait never outlasts the statement's timeout either. */
const LOCK_WAIT_SECONDS = 50;
/** How much longer than the statement timeout a silent connection is given before the client drops it. */
const SOCKET_GRACE_MS = 5_000;

/** The session's sql_mode without NO_BACKSLASH_ESCAPES (servers list modes comma-separated, each once). */
export const WITHOUT_NO_BACKSLASH_ESCAPES = "TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))";

export function createPrismaClient(settings: DatabaseSettings): PrismaClient {
  const statementSeconds = settings.statementTimeoutSeconds ?? DEFAULT_STATEMENT_TIMEOUT_SECONDS;
  const adapter = new PrismaMariaDb({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    connectionLimit: settings.connectionLimit,
    // Fail fast when the server is down instead of queueing requests for
    // ever: the webhook route must answer 503 while MySQL is away.
    connectTimeout: 3_000,
    acquireTimeout: 2_500,
    // One statement when a connection opens (each is a moment in which a
    // dropped socket makes the driver reject a promise nobody holds):
    //  - time_zone UTC: DATETIME columns and CURRENT_TIMESTAMP are UTC
    //    whatever the server's zone (the adapter writes dates as UTC text);
    //  - no statement may hold a connection for ever: the server cancels one
    //    that waits longer for a row lock, or (MariaDB's max_statement_time,
    //    in a /*M! */ comment that MySQL skips) runs longer than the timeout,
    //    and the error returns the connection to the pool;
    //  - backslash escapes on (NO_BACKSLASH_ESCAPES taken out of sql_mode):
    //    the driver's text protocol (below) escapes values with backslashes,
    //    which that mode would read as plain characters.
    initSql:
      `SET time_zone = '+00:00', innodb_lock_wait_timeout = ${Math.min(LOCK_WAIT_SECONDS, statementSeconds)}, sql_mode = ${WITHOUT_NO_BACKSLASH_ESCAPES}` +
      ` /*M!, max_statement_time = ${statementSeconds} */`,
    // Should a connection still fall silent (a statement the driver never
    // finished sending), the client closes it after the grace and the pool
    // opens a new one.
    socketTimeout: statementSeconds * 1000 + SOCKET_GRACE_MS,
  }, {
    // The driver's text protocol: one round trip per statement, values
    // escaped by the driver. The binary protocol the adapter uses otherwise
    // prepares every statement anew (its statement cache is off), then runs
    // it, then closes it: two round trips and three packets each, which the
    // worker's drain measured as a third of its CPU.
    useTextProtocol: true,
  });
  return new PrismaClient({ adapter: guardIntegerRange(adapter) });
}

/** True when the database rolled a statement back as a deadlock victim or write conflict (P2034, MySQL 1213). */
export function isWriteConflict(error: unknown): boolean {
  return prismaCode(error) === "P2034" || rawErrorCode(error) === "1213";
}

/**
 * Runs `write` again, up to `attempts` tries in all, when InnoDB rolls it back
 * as a deadlock victim: a rolled-back write changed nothing, so running it
 * again is safe, and cheaper than failing the work it belongs to.
 */
export async function retryingWriteConflicts<T>(write: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isWriteConflict(error)) throw error;
    }
  }
}

/** True when an error is Prisma's unique-constraint violation (P2002, or MySQL 1062 from a raw query). */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002" || rawErrorCode(error) === "1062";
}

function prismaCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;
}

/** The MySQL error number of a failed raw query (Prisma's P2010). */
function rawErrorCode(error: unknown): string | undefined {
  return prismaCode(error) === "P2010" ? rawQueryCode(error) : undefined;
}
