// The scheduler of in-process jobs (node-cron), safe with several replicas.
//
// Each job has a cron schedule and an explicit time zone. When it fires,
// every replica asks the database for the run of that scheduled time
// (src/store/job-runs.ts): one row per job and time, so exactly one replica
// runs it; the others log that it was taken. The holder renews the run's
// lease while it runs; a holder that dies leaves a lease that lapses.
// No overlapping runs: in this process a job that is still running is not
// started again (node-cron's noOverlap and our own guard), and across
// replicas a job with a live running row is skipped.
// At start, each job's latest scheduled time before now is caught up once
// when nobody ran it (all replicas down at the time) or its holder died. That
// time is computed from the expression (src/lib/cron-time.ts), not searched.
// Every run is recorded (job, scheduled time, start, end, outcome, error,
// counts) and logged.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createTask, validate } from "node-cron";
import type { ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import { claimJobRun, finishJobRun, latestJobRuns, renewJobRun } from "../store/job-runs.js";
import type { JobCounts, JobRunRecord, JobTrigger } from "../store/job-runs.js";
import type { PrismaClient } from "../store/prisma.js";
import { MS_PER_DAY } from "../dora/index.js";
import { CronSyntaxError, isTimeZone, parseCron, previousFireTime } from "../lib/cron-time.js";

export interface JobContext {
  /** The schedule's time this run is for (a manual run: when it was asked). */
  scheduledFor: Date;
  trigger: JobTrigger;
  log: Logger;
}

export interface JobDefinition {
  /** Stable name: the key of its runs, the CLI's and the API's name for it. */
  name: string;
  description: string;
  /** A cron expression (5 fields, or 6 with seconds). */
  schedule: string;
  /** IANA time zone the schedule is read in, e.g. "UTC", "America/Bogota". */
  timezone: string;
  /** Does the work; the counts returned are stored with the run. */
  run(context: JobContext): Promise<JobCounts | void>;
}

export interface SchedulerOptions {
  prisma: PrismaClient;
  log: Logger;
  jobs: readonly JobDefinition[];
  /** Names this process in the runs' leases. Default host:pid. */
  instanceId?: string;
  /** Lease length; renewed every third of it while a run goes on. Default 300 s. */
  leaseSeconds?: number;
  /** How far back catch-up looks for a missed scheduled time. Default 40 days (a monthly job). */
  catchUpDays?: number;
}

/** What became of a request to run a job for one scheduled time. */
export type RunResult =
  | { ran: true; run: JobRunRecord; outcome: "succeeded" | "failed"; error?: string; counts?: JobCounts }
  | { ran: false; reason: "taken" | "overlap" | "busy"; existing?: JobRunRecord | null };

export interface JobStatus {
  name: string;
  description: string;
  schedule: string;
  timezone: string;
  lastRun: JobRunRecord | null;
  nextRun: Date | null;
}

/** A run that did part of its work: it failed, and its counts are stored with the failure. */
export class JobFailedWithCounts extends Error {
  override name = "JobFailedWithCounts";
  constructor(
    message: string,
    readonly counts: JobCounts,
  ) {
    super(message);
  }
}

export class UnknownJobError extends Error {
  override name = "UnknownJobError";
}

const DEFAULT_LEASE_SECONDS = 300;
const DEFAULT_CATCH_UP_DAYS = 40;

export class Scheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, Promise<RunResult>>();
  private readonly holder: string;
  private readonly leaseSeconds: number;
  private started = false;

  constructor(private readonly options: SchedulerOptions) {
    for (const job of options.jobs) {
      if (this.jobs.has(job.name)) throw new Error(`job "${job.name}" is defined twice`);
      if (!validate(job.schedule)) throw new Error(`job "${job.name}": "${job.schedule}" is not a cron expression`);
      assertComputable(job);
      assertTimeZone(job.name, job.timezone);
      this.jobs.set(job.name, job);
    }
    this.holder = `${options.instanceId ?? `${hostname()}:${process.pid}`}:${randomUUID().slice(0, 8)}`;
    this.leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  }

  get names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Starts the cron tasks, then catches up each job's missed run once. Resolves when the catch-up runs are done. */
  async start(now: Date = new Date()): Promise<RunResult[]> {
    if (this.started) return [];
    this.started = true;
    for (const job of this.jobs.values()) {
      const task = createTask(
        job.schedule,
        async (context) => {
          await this.runSlot(job.name, slotOf(job, context.date), "schedule");
        },
        { name: job.name, timezone: job.timezone, noOverlap: true },
      );
      this.tasks.set(job.name, task);
      await task.start();
    }
    this.options.log.info({ jobs: this.names, holder: this.holder }, "scheduler started");
    return this.catchUp(now);
  }

  /** Stops firing and waits for runs in progress. */
  async stop(): Promise<void> {
    for (const task of this.tasks.values()) await task.destroy();
    this.tasks.clear();
    await Promise.allSettled(this.running.values());
    this.started = false;
  }

  /** For each job, its latest scheduled time before `now`, run once if nobody ran it or its holder died. */
  async catchUp(now: Date = new Date()): Promise<RunResult[]> {
    const results: RunResult[] = [];
    for (const job of this.jobs.values()) {
      const missed = previousRun(job, now, (this.options.catchUpDays ?? DEFAULT_CATCH_UP_DAYS) * MS_PER_DAY);
      if (!missed) continue;
      const result = await this.runSlot(job.name, missed, "catch-up");
      if (result.ran) results.push(result);
    }
    return results;
  }

  /** Runs `name` now, through the same lease and record as a scheduled run (CLI, tests). */
  async runNow(name: string, at: Date = new Date()): Promise<RunResult> {
    return this.runSlot(name, at, "manual");
  }

  /** Runs `name` for `scheduledFor` if this replica wins its lease; records and logs the run. */
  async runSlot(name: string, scheduledFor: Date, trigger: JobTrigger): Promise<RunResult> {
    const job = this.job(name);
    if (this.running.has(name)) {
      this.options.log.info({ job: name, scheduledFor }, "job still running in this process; this run is skipped");
      return { ran: false, reason: "busy" };
    }
    const attempt = this.attempt(job, scheduledFor, trigger);
    this.running.set(name, attempt);
    try {
      return await attempt;
    } finally {
      this.running.delete(name);
    }
  }

  /** Every job with its schedule, last run and next run. */
  async list(): Promise<JobStatus[]> {
    const latest = await latestJobRuns(this.options.prisma, this.names);
    return [...this.jobs.values()].map((job) => ({
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      timezone: job.timezone,
      lastRun: latest.get(job.name) ?? null,
      nextRun: nextRun(job),
    }));
  }

  private job(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw new UnknownJobError(`no job "${name}"; jobs: ${this.names.join(", ") || "none"}`);
    return job;
  }

  private async attempt(job: JobDefinition, scheduledFor: Date, trigger: JobTrigger): Promise<RunResult> {
    const { prisma } = this.options;
    const log = this.options.log.child({ job: job.name, scheduledFor: scheduledFor.toISOString(), trigger });
    const claim = await claimJobRun(prisma, { job: job.name, scheduledFor, trigger, holder: this.holder, leaseSeconds: this.leaseSeconds });
    if ("skipped" in claim) {
      log.info({ reason: claim.skipped, holder: claim.existing?.holder, status: claim.existing?.status }, claim.skipped === "taken" ? "job run taken by another replica or already done" : "job skipped: a run of it is still going on");
      return { ran: false, reason: claim.skipped, existing: claim.existing };
    }
    const run = claim.claimed;
    log.info({ attempt: run.attempts }, "job run started");
    const renewal = setInterval(() => {
      renewJobRun(prisma, run.id, this.holder, this.leaseSeconds)
        .then((held) => {
          if (!held) log.warn("job run lease lost; another replica may run it too");
        })
        .catch((error: unknown) => log.warn({ err: error }, "could not renew the job run lease"));
    }, (this.leaseSeconds * 1000) / 3);
    const started = Date.now();
    let outcome: { status: "succeeded" | "failed"; error?: string; counts?: JobCounts };
    try {
      const counts = await job.run({ scheduledFor, trigger, log });
      outcome = { status: "succeeded", ...(counts ? { counts } : {}) };
    } catch (error) {
      outcome = { status: "failed", error: error instanceof Error ? error.message : String(error), ...(error instanceof JobFailedWithCounts ? { counts: error.counts } : {}) };
    } finally {
      clearInterval(renewal);
    }
    const recorded = await finishJobRun(prisma, run.id, this.holder, outcome);
    const fields = { durationMs: Date.now() - started, counts: outcome.counts, recorded };
    if (outcome.status === "succeeded") log.info(fields, "job run succeeded");
    else log.error({ ...fields, error: outcome.error }, "job run failed");
    return { ran: true, run, outcome: outcome.status, ...(outcome.error ? { error: outcome.error } : {}), ...(outcome.counts ? { counts: outcome.counts } : {}) };
  }
}

function assertTimeZone(job: string, timezone: string): void {
  if (!isTimeZone(timezone)) throw new Error(`job "${job}": "${timezone}" is not an IANA time zone`);
}

/** Catch-up computes the previous firing, so the schedule must be in the syntax src/lib/cron-time.ts reads. */
function assertComputable(job: JobDefinition): void {
  try {
    parseCron(job.schedule);
  } catch (error) {
    if (error instanceof CronSyntaxError) throw new Error(`job "${job.name}": ${error.message}`, { cause: error });
    throw error;
  }
}

function hasSeconds(schedule: string): boolean {
  return schedule.trim().split(/\s+/).length === 6;
}

/** The scheduled time a firing is for: the date node-cron passes, cut to the schedule's unit, so every replica names the same slot. */
function slotOf(job: JobDefinition, date: Date): Date {
  const unit = hasSeconds(job.schedule) ? 1000 : 60_000;
  return new Date(Math.floor(date.getTime() / unit) * unit);
}

/** Reads `job`'s schedule with node-cron's matcher (a task never started, removed from node-cron's registry after use). */
function withMatcher<T>(job: JobDefinition, use: (task: ScheduledTask) => T): T {
  const task = createTask(job.schedule, () => {}, { timezone: job.timezone });
  try {
    return use(task);
  } finally {
    void task.destroy();
  }
}

/** The next time `job` fires after now. */
export function nextRun(job: JobDefinition): Date | null {
  return withMatcher(job, (task) => task.getNextRuns(1)[0] ?? null);
}

/** The latest time `job` was scheduled at or before `now`, looking back at most `horizonMs`; undefined if none. */
export function previousRun(job: JobDefinition, now: Date, horizonMs: number): Date | undefined {
  return previousFireTime(parseCron(job.schedule), job.timezone, now, horizonMs);
}
