// The inbox's backlog as an operator watches it: how many deliveries wait or
// run, how many failed, and how long the oldest waiting one has waited. One
// grouped query on the status index.
import type { PrismaClient } from "../store/prisma.js";

export interface InboxBacklog {
  pending: number;
  processing: number;
  failed: number;
  /** Seconds since the oldest pending delivery arrived; 0 when none waits. */
  oldest_pending_seconds: number;
}

export async function inboxBacklog(prisma: PrismaClient, now = new Date()): Promise<InboxBacklog> {
  const grouped = await prisma.webhookDelivery.groupBy({
    by: ["status"],
    where: { status: { in: ["pending", "processing", "failed"] } },
    _count: { _all: true },
    _min: { receivedAt: true },
  });
  const of = (status: string) => grouped.find((group) => group.status === status);
  const oldest = of("pending")?._min.receivedAt;
  return {
    pending: of("pending")?._count._all ?? 0,
    processing: of("processing")?._count._all ?? 0,
    failed: of("failed")?._count._all ?? 0,
    oldest_pending_seconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
  };
}
