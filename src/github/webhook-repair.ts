// Webhook repair: a webhook GitHub could not deliver (the app was down, the
// network failed, the database answered 503) is lost unless someone asks
// GitHub to deliver it again. This lists the app's recent delivery attempts
// (GET /app/hook/deliveries, app JWT, newest first, cursor pages), decides
// which deliveries were missed (src/github/webhook-repair-plan.ts) and asks
// for each once (POST /app/hook/deliveries/{id}/attempts). The inbox's
// dedupe makes a redelivery of something stored meanwhile harmless.
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { PrismaClient } from "../store/prisma.js";
import { claimRedelivery, guidsInInbox, guidsRedelivered, releaseRedelivery } from "../store/webhook-redeliveries.js";
import { planRedeliveries } from "./webhook-repair-plan.js";
import type { DeliveryAttempt, RedeliveryPlan } from "./webhook-repair-plan.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Attempts per page (GitHub's maximum). */
const PAGE_SIZE = 100;
/** Pages read at most in one run (10,000 attempts); the rest waits for the next run. */
const MAX_PAGES = 100;

export interface RepairOptions {
  /** Attempts older than this are not looked at (GitHub redelivers only the last 3 days). */
  since: Date;
  log: Logger;
}

export type RepairCounts = RedeliveryPlan["counts"] & { pages: number; listing_truncated: number; redelivered: number; redeliver_errors: number };

export async function repairMissedDeliveries(octokit: Octokit, prisma: PrismaClient, options: RepairOptions): Promise<RepairCounts> {
  const { attempts, pages, truncated } = await listAttemptsSince(octokit, options.since);
  const guids = [...new Set(attempts.map((attempt) => attempt.guid))];
  const plan = planRedeliveries(attempts, await guidsInInbox(prisma, guids), await guidsRedelivered(prisma, guids));
  let redelivered = 0;
  let errors = 0;
  // One request at a time: GitHub's secondary limits punish bursts.
  for (const attempt of plan.redeliver) {
    const claimed = await claimRedelivery(prisma, { guid: attempt.guid, hookDeliveryId: attempt.id, event: attempt.event, failedStatusCode: attempt.statusCode });
    if (!claimed) continue;
    try {
      await octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: attempt.id });
      redelivered++;
      options.log.info({ request_id: attempt.guid, event: attempt.event, failed_status: attempt.statusCode }, "asked GitHub to redeliver a missed webhook");
    } catch (error) {
      errors++;
      await releaseRedelivery(prisma, attempt.guid);
      options.log.warn({ err: error, request_id: attempt.guid, event: attempt.event }, "GitHub refused to redeliver a missed webhook; the next run tries again");
    }
  }
  return { ...plan.counts, pages, listing_truncated: truncated ? 1 : 0, redelivered, redeliver_errors: errors };
}

async function listAttemptsSince(octokit: Octokit, since: Date): Promise<{ attempts: DeliveryAttempt[]; pages: number; truncated: boolean }> {
  const attempts: DeliveryAttempt[] = [];
  let pages = 0;
  for await (const response of octokit.paginate.iterator(octokit.rest.apps.listWebhookDeliveries, { per_page: PAGE_SIZE })) {
    pages++;
    let reachedSince = false;
    for (const item of response.data) {
      const deliveredAt = new Date(item.delivered_at);
      if (!(deliveredAt >= since)) {
        reachedSince = true;
        continue;
      }
      attempts.push({ id: Number(item.id), guid: item.guid, deliveredAt, statusCode: item.status_code, event: item.event });
    }
    if (reachedSince) return { attempts, pages, truncated: false };
    if (pages >= MAX_PAGES) return { attempts, pages, truncated: true };
  }
  return { attempts, pages, truncated: false };
}
