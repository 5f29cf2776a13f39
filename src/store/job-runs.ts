// Runs of the scheduled jobs (table job_runs, migration 20261129000000). A row
// per job and scheduled time is both the record of the run and its lease:
//   - claimJobRun inserts it; replicas firing the same schedule race on the
//     unique key (job, scheduled_for) and exactly one wins;
//   - a row still `running` whose lease_until has passed belongs to a holder
//     that died: claimJobRun takes it over (attempts + 1);
//   - a job with a live running row (another slot) is not started again: no
//     overlapping runs of one job across replicas.
// Lease times are the database's clock (UTC), so replicas' clocks do not matter.
import type { PrismaClient } from "./prisma.js";
import { sqlTime } from "./sql-time.js";

export type JobTrigger = "schedule" | "catch-up" | "manual";
export type JobRunStatus = "running" | "succeeded" | "failed";
export type JobCounts = Record<string, number>;

export interface JobRunRecord {
  id: bigint;
  job: string;
  scheduledFor: Date;
  trigger: JobTrigger;
  status: JobRunStatus;
  holder: string;
  leaseUntil: Date;
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  counts: JobCounts | null;
}

/** Claimed: this holder runs it. Otherwise why not: the slot is taken (run or running), or another run of the job is running. */
export type ClaimResult = { claimed: JobRunRecord } | { skipped: "taken" | "overlap"; existing: JobRunRecord | null };

/** A job_runs row as the client reads it. */
type JobRunRow = Omit<JobRunRecord, "trigger" | "status" | "counts"> & { trigger: string; status: string; counts: unknown };

function toRecord(row: JobRunRow): JobRunRecord {
  return { ...row, trigger: row.trigger as JobTrigger, status: row.status as JobRunStatus, counts: (row.counts ?? null) as JobCounts | null };
}

export async function readJobRun(prisma: PrismaClient, job: string, scheduledFor: Date): Promise<JobRunRecord | null> {
  const row = await prisma.jobRun.findUnique({ where: { job_scheduledFor: { job, scheduledFor } } });
  return row ? toRecord(row) : null;
}

/** The run of `job` holding a live lease, other than the slot `except`. */
async function liveRun(prisma: PrismaClient, job: string, except: Date): Promise<JobRunRecord | null> {
  const rows = await prisma.$queryRaw<Array<{ id: bigint }>>`
    SELECT id FROM job_runs
    WHERE job = ${job} AND status = 'running' AND lease_until >= UTC_TIMESTAMP(3) AND scheduled_for <> ${sqlTime(except)}
    LIMIT 1`;
  if (rows.length === 0) return null;
  const row = await prisma.jobRun.findUnique({ where: { id: rows[0]!.id } });
  return row ? toRecord(row) : null;
}

/**
 * Takes the run of `job` at `scheduledFor` for `holder`: a new row, or a
 * running row whose lease lapsed. Exactly one caller gets `claimed` for a slot
 * while its lease is live.
 */
export async function claimJobRun(
  prisma: PrismaClient,
  options: { job: string; scheduledFor: Date; trigger: JobTrigger; holder: string; leaseSeconds: number },
): Promise<ClaimResult> {
  const { job, scheduledFor, trigger, holder, leaseSeconds } = options;
  const running = await liveRun(prisma, job, scheduledFor);
  if (running) return { skipped: "overlap", existing: running };
  const inserted = await prisma.$executeRaw`
    INSERT IGNORE INTO job_runs (job, scheduled_for, \`trigger\`, status, holder, lease_until, attempts, started_at)
    VALUES (${job}, ${sqlTime(scheduledFor)}, ${trigger}, 'running', ${holder}, UTC_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND, 1, UTC_TIMESTAMP(3))`;
  if (inserted !== 1) {
    const takenOver = await prisma.$executeRaw`
      UPDATE job_runs
      SET holder = ${holder}, \`trigger\` = ${trigger}, lease_until = UTC_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND,
          attempts = attempts + 1, started_at = UTC_TIMESTAMP(3), error = NULL
      WHERE job = ${job} AND scheduled_for = ${sqlTime(scheduledFor)} AND status = 'running' AND lease_until < UTC_TIMESTAMP(3)`;
    if (takenOver !== 1) return { skipped: "taken", existing: await readJobRun(prisma, job, scheduledFor) };
  }
  const claimed = await readJobRun(prisma, job, scheduledFor);
  if (!claimed || claimed.holder !== holder) return { skipped: "taken", existing: claimed };
  return { claimed };
}

/** Extends the lease; false when `holder` no longer holds the run. */
export async function renewJobRun(prisma: PrismaClient, id: bigint, holder: string, leaseSeconds: number): Promise<boolean> {
  const renewed = await prisma.$executeRaw`
    UPDATE job_runs SET lease_until = UTC_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
    WHERE id = ${id} AND holder = ${holder} AND status = 'running'`;
  return renewed === 1;
}

/** Records the outcome; false when `holder` had lost the run (it lapsed and was taken over). */
export async function finishJobRun(
  prisma: PrismaClient,
  id: bigint,
  holder: string,
  outcome: { status: "succeeded" | "failed"; error?: string; counts?: JobCounts },
): Promise<boolean> {
  const counts = outcome.counts ? JSON.stringify(outcome.counts) : null;
  const finished = await prisma.$executeRaw`
    UPDATE job_runs SET status = ${outcome.status}, finished_at = UTC_TIMESTAMP(3), error = ${outcome.error ?? null},
      counts = ${counts}, lease_until = UTC_TIMESTAMP(3)
    WHERE id = ${id} AND holder = ${holder} AND status = 'running'`;
  return finished === 1;
}

/** The latest run of each job (by start), for the list of jobs. */
export async function latestJobRuns(prisma: PrismaClient, jobs: readonly string[]): Promise<Map<string, JobRunRecord>> {
  const latest = new Map<string, JobRunRecord>();
  for (const job of jobs) {
    const row = await prisma.jobRun.findFirst({ where: { job }, orderBy: [{ startedAt: "desc" }, { id: "desc" }] });
    if (row) latest.set(job, toRecord(row));
  }
  return latest;
}

/** The last runs of one job, newest first. */
export async function recentJobRuns(prisma: PrismaClient, job: string, take = 20): Promise<JobRunRecord[]> {
  const rows = await prisma.jobRun.findMany({ where: { job }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take });
  return rows.map(toRecord);
}

/** The latest run of a job that succeeded, by scheduled time. */
export async function lastSucceededRun(prisma: PrismaClient, job: string): Promise<JobRunRecord | null> {
  const row = await prisma.jobRun.findFirst({ where: { job, status: "succeeded" }, orderBy: [{ scheduledFor: "desc" }, { id: "desc" }] });
  return row ? toRecord(row) : null;
}

/** Failed runs per job that started since `since` (for the health snapshots). */
export async function failedJobRunsSince(prisma: PrismaClient, since: Date): Promise<Record<string, number>> {
  const grouped = await prisma.jobRun.groupBy({ by: ["job"], where: { status: "failed", startedAt: { gte: since } }, _count: { _all: true }, orderBy: { job: "asc" } });
  return Object.fromEntries(grouped.map((group) => [group.job, group._count._all]));
}
