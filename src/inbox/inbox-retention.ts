// Retention of the webhook inbox: a delivery that ended (done, or rejected
// for its payload) has done its work once its records are written, so after
// the retention it is deleted. Pending, processing and failed deliveries are
// never deleted here: they still have work or an error someone must read.
// Deletes go in small batches so no statement holds many row locks while
// the intake inserts beside it.
import type { PrismaClient } from "../store/prisma.js";

const ENDED_STATUSES = ["done", "rejected"] as const;
const DELETE_BATCH_ROWS = 1_000;

export interface InboxRetentionResult {
  /** Deliveries deleted (with dryRun: that would be deleted). */
  deliveries: number;
  batches: number;
}

export async function deleteEndedDeliveries(prisma: PrismaClient, olderThan: Date, options: { dryRun?: boolean } = {}): Promise<InboxRetentionResult> {
  const where = { status: { in: [...ENDED_STATUSES] }, processedAt: { lt: olderThan } };
  if (options.dryRun) return { deliveries: await prisma.webhookDelivery.count({ where }), batches: 0 };
  let deliveries = 0;
  let batches = 0;
  for (;;) {
    const ids = await prisma.webhookDelivery.findMany({ where, select: { id: true }, orderBy: { id: "asc" }, take: DELETE_BATCH_ROWS });
    if (ids.length === 0) break;
    const { count } = await prisma.webhookDelivery.deleteMany({ where: { ...where, id: { in: ids.map((row) => row.id) } } });
    deliveries += count;
    batches += 1;
    if (ids.length < DELETE_BATCH_ROWS) break;
  }
  return { deliveries, batches };
}
