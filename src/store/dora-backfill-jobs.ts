// The queue of repository backfills (dora_backfill_jobs): installation events
// enqueue one row per repository, src/jobs/backfill-runner.ts drains them.
// Claims use SKIP LOCKED like the webhook inbox, so replicas take different
// jobs; a running job holds a lease its runner renews, and a job whose runner
// died is claimed again once the lease has passed.
import type { PrismaClient } from "./prisma.js";

export interface QueuedBackfill {
  repo: string;
  installationId: number;
  days: number;
  /** "installation:<installation id>": one backfill per repository and installation. */
  trigger: string;
}

export interface ClaimedBackfill {
  id: bigint;
  repo: string;
  installationId: number;
  days: number;
  trigger: string;
  attempts: number;
}

/** Enqueues jobs; a (repo, trigger) already queued, running or done is left alone. Returns how many were new. */
export async function enqueueBackfills(prisma: PrismaClient, jobs: readonly QueuedBackfill[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const { count } = await prisma.doraBackfillJob.createMany({
    data: jobs.map((job) => ({ repo: job.repo, installationId: BigInt(job.installationId), days: job.days, trigger: job.trigger, status: "queued" })),
    skipDuplicates: true,
  });
  return count;
}

/** Claims the next due job (queued and due, or running with a lapsed lease), or undefined. */
export async function claimBackfill(prisma: PrismaClient, workerId: string, leaseSeconds: number): Promise<ClaimedBackfill | undefined> {
  return prisma.$transaction(async (tx) => {
    const due = await tx.$queryRaw<Array<{ id: bigint }>>`
      SELECT id FROM dora_backfill_jobs
      WHERE (status = 'queued' AND run_after <= CURRENT_TIMESTAMP(3))
         OR (status = 'running' AND locked_until < CURRENT_TIMESTAMP(3))
      ORDER BY run_after, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED`;
    const id = due[0]?.id;
    if (id === undefined) return undefined;
    await tx.$executeRaw`
      UPDATE dora_backfill_jobs SET
        status = 'running', attempts = attempts + 1, locked_by = ${workerId},
        locked_until = CURRENT_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND,
        started_at = CURRENT_TIMESTAMP(3), finished_at = NULL
      WHERE id = ${id}`;
    const row = await tx.doraBackfillJob.findUniqueOrThrow({ where: { id } });
    return { id: row.id, repo: row.repo, installationId: Number(row.installationId), days: row.days, trigger: row.trigger, attempts: row.attempts };
  });
}

/** Extends the lease of a job this worker still holds; false when it was lost (another runner took it over). */
export async function renewBackfillLease(prisma: PrismaClient, id: bigint, workerId: string, leaseSeconds: number): Promise<boolean> {
  const updated = await prisma.$executeRaw`
    UPDATE dora_backfill_jobs SET locked_until = CURRENT_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
    WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}`;
  return updated > 0;
}

export async function finishBackfill(prisma: PrismaClient, id: bigint, workerId: string, outcome: { counts?: object; skipped?: string }): Promise<void> {
  await prisma.doraBackfillJob.updateMany({
    where: { id, lockedBy: workerId },
    data: { status: "done", finishedAt: new Date(), lockedBy: null, lockedUntil: null, error: outcome.skipped ?? null, ...(outcome.counts ? { counts: outcome.counts } : {}) },
  });
}

/** A failed run: queued again after `retryInMs`, or failed for good (retryInMs undefined). */
export async function failBackfill(prisma: PrismaClient, id: bigint, workerId: string, message: string, retryInMs: number | undefined): Promise<void> {
  await prisma.doraBackfillJob.updateMany({
    where: { id, lockedBy: workerId },
    data: {
      status: retryInMs === undefined ? "failed" : "queued",
      error: message.slice(0, 16_000),
      finishedAt: new Date(),
      lockedBy: null,
      lockedUntil: null,
      ...(retryInMs === undefined ? {} : { runAfter: new Date(Date.now() + retryInMs) }),
    },
  });
}
