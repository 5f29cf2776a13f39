// The log-retention job against real MariaDB: run by the scheduler, it
// deletes the stored log lines older than 90 days before its scheduled time,
// across several delete batches, and keeps the rest.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { logRetentionJob, LOG_RETENTION_JOB } from "../../src/jobs/log-retention-job.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { MysqlLogStore } from "../../src/store/log-lines.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { logLine } from "../support/log-store-contract.js";
import { prismaForAllTests } from "../support/prisma.js";

const MINUTES_PER_DAY = 24 * 60;

describe("log-retention job", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));

  it("deletes the lines older than 90 days in batches and keeps the newer ones", async () => {
    const store = new MysqlLogStore(prisma);
    // logLine(0) is 2026-11-20T00:00Z; the job runs for 2026-11-20T03:30Z.
    const old = Array.from({ length: 2_500 }, (_, index) => logLine(-91 * MINUTES_PER_DAY - index));
    await store.writeBatch(old);
    await store.writeBatch([logLine(-89 * MINUTES_PER_DAY), logLine(0)]);
    const scheduler = new Scheduler({ prisma, log: pino({ level: "silent" }), instanceId: "replica-a", jobs: [logRetentionJob(store)] });
    const result = await scheduler.runSlot(LOG_RETENTION_JOB, new Date("2026-11-20T03:30:00Z"), "schedule");
    expect(result).toMatchObject({ ran: true, outcome: "succeeded", counts: { lines_deleted: 2_500 } });
    expect((await prisma.logLine.findMany({ orderBy: { loggedAt: "asc" } })).map((line) => line.message)).toEqual([`line ${-89 * MINUTES_PER_DAY}`, "line 0"]);
  });
});
