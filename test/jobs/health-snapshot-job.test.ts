// The health snapshot job against real MariaDB, GitHub faked by nock
// (GET /app in its published shape): each run stores every component's
// state, a failing or hanging dependency is recorded as failing without
// failing the run, and snapshots past the retention are deleted.
import nock from "nock";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { healthSnapshotJob, HEALTH_SNAPSHOT_JOB } from "../../src/jobs/health-snapshot-job.js";
import type { HealthSnapshotDependencies } from "../../src/jobs/health-snapshot-job.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { readHealthSnapshots } from "../../src/store/health-snapshots.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { githubFakedForEachTest, testAppOctokit } from "../support/app-octokit.js";
import { TEST_APP_ID } from "../support/github-app.js";
import { prismaForAllTests } from "../support/prisma.js";

const now = new Date("2026-11-29T06:05:00Z");
const log = pino({ level: "silent" });

describe("health snapshot job", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));

  githubFakedForEachTest();

  function run(dependencies: Partial<HealthSnapshotDependencies> = {}) {
    const job = healthSnapshotJob({ prisma, instanceId: "replica-a", appOctokit: testAppOctokit(), ...dependencies });
    return new Scheduler({ prisma, log, instanceId: "replica-a", jobs: [job] }).runSlot(HEALTH_SNAPSHOT_JOB, now, "schedule");
  }

  async function snapshots() {
    return readHealthSnapshots(prisma, new Date(0), new Date("2100-01-01T00:00:00Z"));
  }

  it("stores MySQL, the inbox backlog, the day's failed jobs and GitHub's answer, and is not ok while a job failed", async () => {
    const received = new Date(Date.now() - 90_000);
    await prisma.webhookDelivery.createMany({
      data: [
        { deliveryId: "p1", event: "push", payload: Buffer.from("{}"), status: "pending", receivedAt: received },
        { deliveryId: "p2", event: "push", payload: Buffer.from("{}"), status: "pending" },
        { deliveryId: "f1", event: "push", payload: Buffer.from("{}"), status: "failed" },
        { deliveryId: "d1", event: "push", payload: Buffer.from("{}"), status: "done" },
      ],
    });
    await prisma.jobRun.create({
      data: { job: "backup", scheduledFor: new Date(), trigger: "schedule", status: "failed", holder: "b", leaseUntil: new Date(), startedAt: new Date(), error: "disk full" },
    });
    nock("https://api.github.com").get("/app").reply(200, { id: Number(TEST_APP_ID), slug: "iact-bot", name: "iact-bot" });

    const result = await run();
    expect(result).toMatchObject({ ran: true, outcome: "succeeded", counts: { components: 4, failing: 1, deleted: 0 } });
    const [snapshot, ...others] = await snapshots();
    expect(others).toEqual([]);
    expect(snapshot).toMatchObject({ instance: "replica-a", ok: false });
    const { mysql, inbox, jobs, github } = snapshot!.components;
    expect(mysql).toMatchObject({ ok: true });
    expect(inbox).toMatchObject({ ok: true, pending: 2, processing: 0, failed: 1 });
    expect(inbox!.oldest_pending_seconds).toBeGreaterThanOrEqual(90);
    expect(jobs).toMatchObject({ ok: false, failed_last_day: { backup: 1 } });
    expect(github).toMatchObject({ ok: true, app: "iact-bot" });
  });

  it("records GitHub down and a hanging probe as failing, still stores the snapshot, and deletes snapshots past 30 days", async () => {
    await prisma.healthSnapshot.createMany({
      data: [
        { takenAt: new Date("2026-10-30T06:04:59Z"), instance: "old", ok: true, components: {} },
        { takenAt: new Date("2026-10-30T06:05:00Z"), instance: "kept", ok: true, components: {} },
      ],
    });
    nock("https://api.github.com").get("/app").reply(503, { message: "Service Unavailable" });
    const result = await run({ readinessProbes: { cassandra: () => new Promise(() => {}) } });
    expect(result).toMatchObject({ ran: true, outcome: "succeeded", counts: { components: 5, failing: 2, deleted: 1 } });
    const stored = await snapshots();
    expect(stored.map((snapshot) => snapshot.instance)).toEqual(["kept", "replica-a"]);
    expect(stored[1]!.components.github).toMatchObject({ ok: false, error: expect.stringContaining("Service Unavailable") });
    expect(stored[1]!.components.cassandra).toEqual({ ok: false, error: "no answer within 2000 ms" });
  });
});
