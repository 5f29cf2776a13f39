// The webhook repair job (every 10 minutes): asks GitHub again for the
// deliveries it could not deliver (src/github/webhook-repair.ts). Each run
// looks back to a little before the last successful run, and never further
// than GitHub keeps deliveries for a redelivery (3 days).
import type { ProbotOctokit } from "probot";
import { MS_PER_DAY } from "../dora/index.js";
import { handleRateLimits } from "../github/rate-limit.js";
import { repairMissedDeliveries } from "../github/webhook-repair.js";
import { lastSucceededRun, latestJobRuns } from "../store/job-runs.js";
import type { PrismaClient } from "../store/prisma.js";
import type { JobDefinition } from "./scheduler.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export const WEBHOOK_REPAIR_JOB = "webhook-repair";
/** GitHub redelivers only deliveries of the last 3 days. */
const REDELIVERABLE_MS = 3 * MS_PER_DAY;
/** Overlap with the previous run, for attempts GitHub lists a little late. */
const OVERLAP_MS = 15 * 60_000;

/** Returns an Octokit authenticated as the app (JWT), or throws saying what is missing. */
export type AppOctokitFactory = () => Promise<Octokit>;

export function webhookRepairJob(prisma: PrismaClient, appOctokit: AppOctokitFactory | undefined): JobDefinition {
  return {
    name: WEBHOOK_REPAIR_JOB,
    description: "ask GitHub to redeliver the webhooks it failed to deliver that the inbox does not hold (once each)",
    schedule: "*/10 * * * *",
    timezone: "UTC",
    async run({ scheduledFor, log }) {
      if (!appOctokit) throw new Error("webhook repair needs the GitHub App's APP_ID and private key");
      const floor = scheduledFor.getTime() - REDELIVERABLE_MS;
      const previous = await lastSucceededRun(prisma, WEBHOOK_REPAIR_JOB);
      const since = new Date(Math.max(floor, previous ? previous.scheduledFor.getTime() - OVERLAP_MS : floor));
      // GitHub's rate limits delay the run rather than fail it.
      const counts = await repairMissedDeliveries(handleRateLimits(await appOctokit(), { log }), prisma, { since, log });
      log.info({ since, ...counts }, "webhook repair done");
      return counts;
    },
  };
}

/**
 * The last repair run for /ready: informational (ok whatever its outcome), so
 * a GitHub outage shows there without taking the replica out of service.
 */
export async function webhookRepairStatus(prisma: PrismaClient): Promise<{ ok: true; last_run: Record<string, unknown> | null }> {
  const run = (await latestJobRuns(prisma, [WEBHOOK_REPAIR_JOB])).get(WEBHOOK_REPAIR_JOB);
  if (!run) return { ok: true, last_run: null };
  return {
    ok: true,
    last_run: { status: run.status, scheduled_for: run.scheduledFor.toISOString(), finished_at: run.finishedAt?.toISOString() ?? null, ...(run.error ? { error: run.error } : {}), counts: run.counts },
  };
}
