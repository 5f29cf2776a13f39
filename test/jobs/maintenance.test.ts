// The maintenance jobs as the scheduler runs them (lease, record, counts),
// against real MariaDB: the backup job writes a file that restores, and the
// cleanup records what it deleted: ended deliveries past the retention, and
// API tokens that expired or were revoked (with an audit entry), and expired
// dashboard sessions.
import { mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { backupJob, cleanupJob } from "../../src/jobs/maintenance.js";
import type { MaintenanceSettings } from "../../src/jobs/maintenance.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { testDatabaseSettings } from "../support/database.js";
import { prismaForAllTests } from "../support/prisma.js";

describe("maintenance jobs", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));

  async function settings(): Promise<MaintenanceSettings> {
    return { database: testDatabaseSettings(), backupDir: await mkdtemp(path.join(os.tmpdir(), "iact-job-backups-")), backupRetentionDays: 30, inboxRetentionDays: 30 };
  }

  function scheduler(maintenance: MaintenanceSettings): Scheduler {
    return new Scheduler({ prisma, log: pino({ level: "silent" }), instanceId: "replica-a", jobs: [cleanupJob(prisma, maintenance), backupJob(prisma, maintenance)] });
  }

  it("the backup job writes one file per run and records the rows it holds", async () => {
    const maintenance = await settings();
    await prisma.teamMetric.create({ data: { cycleId: "C-1", featureId: "F-1", phaseName: "planning", decision: "go", durationSeconds: 12.5, metadata: {} } });
    const result = await scheduler(maintenance).runNow("backup");
    expect(result).toMatchObject({ ran: true, outcome: "succeeded" });
    // One team record and the run's own row, which is in job_runs while it runs.
    expect(result.ran && result.counts).toMatchObject({ rows: 2, files_removed: 0 });
    expect(await readdir(maintenance.backupDir)).toEqual([expect.stringMatching(/^iact-backup-\d{8}T\d{6}Z\.jsonl\.gz$/)]);
  });

  it("the cleanup deletes ended deliveries older than the retention, measured from the scheduled time, and dead tokens", async () => {
    const maintenance = await settings();
    const scheduledFor = new Date("2026-11-29T06:00:00Z");
    const session = (login: string, idHash: string, expiresAt: Date) => ({ idHash, userLogin: login, userId: 1n, csrfToken: "c".repeat(64), repositories: [], createdAt: new Date("2026-11-29T00:00:00Z"), expiresAt });
    await prisma.dashboardSession.createMany({
      data: [session("signed-out-by-time", "a".repeat(64), new Date("2026-11-29T06:00:00Z")), session("still-signed-in", "b".repeat(64), new Date("2026-11-29T08:00:00Z"))],
    });
    await prisma.apiToken.createMany({
      data: [
        { name: "live", scope: "read", tokenHash: "1".repeat(64), prefix: "iact_1" },
        { name: "later", scope: "read", tokenHash: "2".repeat(64), prefix: "iact_2", expiresAt: new Date("2026-11-29T06:00:01Z") },
        { name: "expired", scope: "read", tokenHash: "3".repeat(64), prefix: "iact_3", expiresAt: new Date("2026-11-29T06:00:00Z") },
        { name: "revoked", scope: "read", tokenHash: "4".repeat(64), prefix: "iact_4", revokedAt: new Date("2026-11-01T00:00:00Z") },
      ],
    });
    await prisma.webhookDelivery.createMany({
      data: [
        { deliveryId: "a", event: "push", payload: Buffer.from("{}"), status: "done", processedAt: new Date("2026-10-30T05:59:59Z") },
        { deliveryId: "b", event: "push", payload: Buffer.from("{}"), status: "done", processedAt: new Date("2026-10-30T06:00:01Z") },
      ],
    });
    const result = await scheduler(maintenance).runSlot("cleanup", scheduledFor, "schedule");
    expect(result.ran && result.counts).toEqual({ deliveries_deleted: 1, batches: 1, tokens_removed: 2, sessions_deleted: 1 });
    expect((await prisma.dashboardSession.findMany({ select: { userLogin: true } })).map((row) => row.userLogin)).toEqual(["still-signed-in"]);
    expect((await prisma.apiToken.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((row) => row.name)).toEqual(["later", "live"]);
    const [entry] = await prisma.auditEntry.findMany({ where: { action: "tokens.removed" } });
    expect(entry).toMatchObject({ actor: "job:cleanup", target: "api_tokens" });
    expect((entry!.details as { tokens: Array<{ name: string }> }).tokens.map((token) => token.name)).toEqual(["expired", "revoked"]);
    expect((await prisma.webhookDelivery.findMany({ select: { deliveryId: true } })).map((row) => row.deliveryId)).toEqual(["b"]);
  });
});
