// The Prisma client's guards on the pool, against the real MariaDB: no
// argument and no stuck statement can keep a connection from the pool.
// Each test uses a pool of one connection, so a connection lost for good
// shows as the next query never getting one.
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient, WITHOUT_NO_BACKSLASH_ESCAPES } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { isUnfixableDataError } from "../../src/store/unfixable-errors.js";
import { testDatabaseSettings, truncateAllTables, withConnection } from "../support/database.js";

describe("Prisma client pool guards", () => {
  let prisma: PrismaClient | undefined;

  afterEach(async () => {
    await prisma?.$disconnect();
    prisma = undefined;
  });

  it.each([
    ["below", -(2n ** 64n)],
    ["just below", -(2n ** 63n) - 1n],
    ["above", 2n ** 64n],
  ])("refuses an integer %s BIGINT's range before the driver sees it, and keeps the connection", async (_where, value) => {
    prisma = createPrismaClient({ ...testDatabaseSettings(), connectionLimit: 1 });
    // The mariadb driver threw half way through such a statement's packet and never gave the connection back.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const failure = await prisma.$queryRaw`SELECT ${value} AS value`.then(() => undefined, (error: unknown) => error);
      expect(String(failure)).toMatch(/outside the range of a MySQL BIGINT/);
      expect(isUnfixableDataError(failure)).toBe(true);
    }
    await expect(prisma.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
    // The same through the query builder (Prisma sends BigInt values as typed text).
    await expect(prisma.webhookDelivery.count({ where: { installationId: value } })).rejects.toThrow(/outside the range of a MySQL BIGINT|out of range/i);
    await expect(prisma.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
  });

  it("keeps hostile text intact on the text protocol, with backslash escapes on even where the server's sql_mode turns them off", async () => {
    prisma = createPrismaClient({ ...testDatabaseSettings(), connectionLimit: 1 });
    // The session's mode: NO_BACKSLASH_ESCAPES taken out, whatever the server's default.
    const [session] = await prisma.$queryRaw<Array<{ mode: string }>>`SELECT @@SESSION.sql_mode AS mode`;
    expect(session?.mode).not.toMatch(/NO_BACKSLASH_ESCAPES/);
    // The expression the connection runs, on a session that has the mode on (as a server default would give).
    await withConnection(async (connection) => {
      await connection.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
      await connection.query(`SET SESSION sql_mode = ${WITHOUT_NO_BACKSLASH_ESCAPES}`);
      const [rows] = await connection.query("SELECT @@SESSION.sql_mode AS mode");
      const after = (rows as Array<{ mode: string }>)[0]!.mode;
      expect(after).not.toMatch(/NO_BACKSLASH_ESCAPES/);
      expect(after).toMatch(/STRICT_TRANS_TABLES/);
    });
    const hostile = ["it's", "a\\' OR '1'='1", "back\\slash\\", "quote\"double", "nul\u0000byte", "-- comment", "line\nbreak", "?", "é☃𝄞"];
    for (const text of hostile) {
      const [row] = await prisma.$queryRaw<Array<{ value: string }>>`SELECT ${text} AS value`;
      expect(row?.value).toBe(text);
    }
  });

  it("opens every connection in UTC with the statement and lock-wait timeouts of DATABASE_URL", async () => {
    prisma = createPrismaClient({ ...testDatabaseSettings(), connectionLimit: 1, statementTimeoutSeconds: 7 });
    const [session] = await prisma.$queryRaw<Array<{ zone: string; lockWait: bigint | number; statementTime: number }>>`
      SELECT @@SESSION.time_zone AS zone, @@SESSION.innodb_lock_wait_timeout AS lockWait, @@SESSION.max_statement_time AS statementTime`;
    expect({ zone: session!.zone, lockWait: Number(session!.lockWait), statementTime: Number(session!.statementTime) }).toEqual({ zone: "+00:00", lockWait: 7, statementTime: 7 });
  });

  it("cancels a statement stuck behind a lock after statement_timeout and gives its connection back", async () => {
    await truncateAllTables();
    prisma = createPrismaClient({ ...testDatabaseSettings(), connectionLimit: 1, statementTimeoutSeconds: 1 });
    await prisma.webhookDelivery.create({ data: { deliveryId: "locked", event: "push", payload: Buffer.from("{}") } });
    const client = prisma;
    await withConnection(async (holder) => {
      await holder.query("START TRANSACTION");
      await holder.query("SELECT id FROM webhook_deliveries WHERE delivery_id = 'locked' FOR UPDATE");
      try {
        // Waits for the holder's row lock until the server gives up on it.
        await expect(client.$executeRaw`UPDATE webhook_deliveries SET attempts = 1 WHERE delivery_id = 'locked'`).rejects.toThrow(/lock wait timeout|max_statement_time|interrupted/i);
        await expect(client.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
      } finally {
        await holder.query("ROLLBACK");
      }
    });
  });
});
