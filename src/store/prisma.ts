// The Prisma client, talking to MySQL/MariaDB through the MariaDB driver
// adapter (Prisma 7 has no bundled query engine: the adapter is the driver).
import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { PrismaClient } from "./generated/client.js";
import type { DatabaseSettings } from "./database-url.js";

export type { PrismaClient } from "./generated/client.js";
export { Prisma } from "./generated/client.js";

export function createPrismaClient(settings: DatabaseSettings): PrismaClient {
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
    // Store and read DATETIME columns as UTC whatever the server's zone.
    timezone: "Z",
  });
  return new PrismaClient({ adapter });
}

/** True when the database rolled a statement back as a deadlock victim or write conflict (P2034, MySQL 1213). */
export function isWriteConflict(error: unknown): boolean {
  return prismaCode(error) === "P2034" || rawQueryCode(error) === "1213";
}

/** True when an error is Prisma's unique-constraint violation (P2002, or MySQL 1062 from a raw query). */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002" || rawQueryCode(error) === "1062";
}

function prismaCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? (error as { code?: string }).code : undefined;
}

/** The MySQL error number of a failed raw query (Prisma's P2010 carries it from the driver adapter). */
function rawQueryCode(error: unknown): string | undefined {
  if (prismaCode(error) !== "P2010") return undefined;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return code === undefined ? undefined : String(code);
}
