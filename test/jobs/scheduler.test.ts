// The scheduler against the real MariaDB: two instances on one database (two
// replicas) run each scheduled time of a job exactly once, whether node-cron
// fires it, catch-up finds it missed, or both race; a run whose holder died is
// taken over once its lease lapses; a job never overlaps itself; every run is
// recorded with its outcome, error and counts.
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { nextRun, previousRun, Scheduler, UnknownJobError } from "../../src/jobs/scheduler.js";
import type { JobDefinition } from "../../src/jobs/scheduler.js";
import { recentJobRuns } from "../../src/store/job-runs.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";

const log = pino({ level: "silent" });

describe("Scheduler (MariaDB)", () => {
  let prisma: PrismaClient;
  const schedulers: Scheduler[] = [];

  prismaForAllTests((client) => {
    prisma = client;
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
  });

  function replica(jobs: JobDefinition[], instanceId: string, leaseSeconds = 60): Scheduler {
    const scheduler = new Scheduler({ prisma, log, jobs, instanceId, leaseSeconds });
    schedulers.push(scheduler);
    return scheduler;
  }

  /** A job that counts its runs per scheduled time and takes `ms` to run. */
  function countingJob(schedule: string, ms = 50, timezone = "UTC"): { job: JobDefinition; runs: string[] } {
    const runs: string[] = [];
    const job: JobDefinition = {
      name: "counting",
      description: "counts its runs",
      schedule,
      timezone,
      run: async ({ scheduledFor }) => {
        runs.push(scheduledFor.toISOString());
        await new Promise((resolve) => setTimeout(resolve, ms));
        return { runs: runs.length };
      },
    };
    return { job, runs };
  }

  it("two replicas fired by node-cron every second run each scheduled time once", async () => {
    const { job, runs } = countingJob("* * * * * *", 100);
    const first = replica([job], "replica-a");
    const second = replica([{ ...job }], "replica-b");
    await Promise.all([first.start(), second.start()]);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await Promise.all([first.stop(), second.stop()]);
    // A loaded machine may make node-cron skip a second; each second that fired ran once.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs).size).toBe(runs.length);
    const recorded = await recentJobRuns(prisma, "counting", 100);
    expect(recorded.map((run) => run.scheduledFor.toISOString()).sort()).toEqual([...runs].sort());
    expect(recorded.every((run) => run.status === "succeeded" && run.finishedAt !== null)).toBe(true);
  });

  it("two replicas racing for the same scheduled time: one runs it, the other is told it is taken", async () => {
    const { job, runs } = countingJob("0 6 1 * *", 200);
    const slot = new Date("2026-11-01T06:00:00Z");
    const results = await Promise.all([replica([job], "a").runSlot("counting", slot, "schedule"), replica([job], "b").runSlot("counting", slot, "schedule")]);
    expect(runs).toEqual([slot.toISOString()]);
    expect(results.filter((result) => result.ran)).toHaveLength(1);
    expect(results.find((result) => !result.ran)).toMatchObject({ ran: false });
    const [run] = await recentJobRuns(prisma, "counting");
    expect(run).toMatchObject({ status: "succeeded", trigger: "schedule", attempts: 1, counts: { runs: 1 }, error: null });
    expect(run!.finishedAt!.getTime()).toBeGreaterThanOrEqual(run!.startedAt.getTime());
  });

  it("catches up a missed run once at start, whichever replicas start", async () => {
    const { job, runs } = countingJob("0 6 1 * *");
    const now = new Date("2026-11-15T12:00:00Z");
    await Promise.all([replica([job], "a").catchUp(now), replica([job], "b").catchUp(now)]);
    await replica([job], "c").catchUp(now);
    expect(runs).toEqual(["2026-11-01T06:00:00.000Z"]);
    const [run] = await recentJobRuns(prisma, "counting");
    expect(run).toMatchObject({ trigger: "catch-up", status: "succeeded" });
  });

  it("reads the schedule in the job's time zone", async () => {
    const { job } = countingJob("0 6 1 * *", 0, "America/Bogota");
    expect(previousRun(job, new Date("2026-11-15T12:00:00Z"), 40 * 86_400_000)).toEqual(new Date("2026-11-01T11:00:00Z"));
    expect(previousRun({ ...job, timezone: "UTC" }, new Date("2026-11-15T12:00:00Z"), 40 * 86_400_000)).toEqual(new Date("2026-11-01T06:00:00Z"));
    expect(nextRun(job)!.getTime()).toBeGreaterThan(Date.now());
    expect(() => new Scheduler({ prisma, log, jobs: [{ ...job, timezone: "Mars/Olympus" }] })).toThrow(/time zone/);
    expect(() => new Scheduler({ prisma, log, jobs: [{ ...job, schedule: "every day" }] })).toThrow(/cron/);
  });

  it("takes over a run whose holder died once its lease lapses, and records the failure of a job that throws", async () => {
    const slot = new Date("2026-11-01T06:00:00Z");
    await prisma.$executeRaw`
      INSERT INTO job_runs (job, scheduled_for, \`trigger\`, status, holder, lease_until, attempts, started_at)
      VALUES ('counting', '2026-11-01 06:00:00.000', 'schedule', 'running', 'dead-replica', UTC_TIMESTAMP(3) - INTERVAL 1 SECOND, 1, UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE)`;
    const failing: JobDefinition = {
      name: "counting",
      description: "fails",
      schedule: "0 6 1 * *",
      timezone: "UTC",
      run: async () => {
        throw new Error("GitHub said no");
      },
    };
    const result = await replica([failing], "alive").runSlot("counting", slot, "catch-up");
    expect(result).toMatchObject({ ran: true, outcome: "failed", error: "GitHub said no" });
    const [run] = await recentJobRuns(prisma, "counting");
    expect(run).toMatchObject({ status: "failed", attempts: 2, error: "GitHub said no", trigger: "catch-up" });
    expect(run!.holder).toMatch(/^alive:/);
  });

  it("does not take a run whose holder is alive, nor start a job while another run of it holds its lease", async () => {
    const { job, runs } = countingJob("0 6 1 * *", 300);
    const a = replica([job], "a");
    const b = replica([job], "b");
    const long = a.runSlot("counting", new Date("2026-11-01T06:00:00Z"), "schedule");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await b.runSlot("counting", new Date("2026-11-01T06:00:00Z"), "catch-up")).toMatchObject({ ran: false, reason: "taken" });
    expect(await b.runSlot("counting", new Date("2026-12-01T06:00:00Z"), "schedule")).toMatchObject({ ran: false, reason: "overlap" });
    expect(await a.runNow("counting")).toMatchObject({ ran: false, reason: "busy" });
    await long;
    expect(runs).toEqual(["2026-11-01T06:00:00.000Z"]);
    expect(await b.runNow("counting", new Date("2026-11-20T10:00:00Z"))).toMatchObject({ ran: true, outcome: "succeeded" });
  });

  it("lists each job with its schedule, last run and next run; an unknown job is an error", async () => {
    const { job } = countingJob("0 6 1 * *");
    const scheduler = replica([job], "a");
    expect((await scheduler.list())[0]).toMatchObject({ name: "counting", schedule: "0 6 1 * *", timezone: "UTC", lastRun: null });
    await scheduler.runNow("counting", new Date("2026-11-20T10:00:00Z"));
    const [listed] = await scheduler.list();
    expect(listed!.lastRun).toMatchObject({ status: "succeeded", trigger: "manual" });
    expect(listed!.nextRun!.getUTCDate()).toBe(1);
    await expect(scheduler.runNow("nope")).rejects.toThrow(UnknownJobError);
  });
});
