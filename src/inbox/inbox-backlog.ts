// What the inbox holds right now, for /metrics and the health snapshots:
// deliveries pending, being processed and failed for good, and how long the
// oldest pending one has waited. One query over the status index, reading
// only those rows (done and rejected history is not touched), so a scrape
// stays cheap however much history the table keeps.
import type { PrismaClient } from "../store/prisma.js";

export interface InboxBacklogCounts {
  pending: number;
  processing: number;
  /** Gave up after the last retry; waits for `iact-bot inbox retry`. */
  failed: number;
  oldestPendingSeconds: number | null;
}

interface BacklogRow {
  status: string;
  deliveries: bigint | number;
  oldest_age_seconds: bigint | number | string | null;
}

export async function readInboxBacklog(prisma: PrismaClient): Promise<InboxBacklogCounts> {
  // The age is computed by MySQL, against its own clock, like every other time in the inbox.
  const rows = await prisma.$queryRaw<BacklogRow[]>`
    SELECT status, COUNT(*) AS deliveries,
           TIMESTAMPDIFF(MICROSECOND, MIN(received_at), CURRENT_TIMESTAMP(3)) / 1000000 AS oldest_age_seconds
    FROM webhook_deliveries
    WHERE status IN ('pending', 'processing', 'failed')
    GROUP BY status`;
  const counts: InboxBacklogCounts = { pending: 0, processing: 0, failed: 0, oldestPendingSeconds: null };
  for (const row of rows) {
    if (row.status === "pending") {
      counts.pending = Number(row.deliveries);
      counts.oldestPendingSeconds = row.oldest_age_seconds === null ? null : Math.max(0, Number(row.oldest_age_seconds));
    } else if (row.status === "processing") {
      counts.processing = Number(row.deliveries);
    } else if (row.status === "failed") {
      counts.failed = Number(row.deliveries);
    }
  }
  return counts;
}
