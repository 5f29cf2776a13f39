// Inbox retention against real MariaDB: only deliveries that ended (done or
// rejected) before the cutoff go, in batches; pending, processing and failed
// ones stay whatever their age, and a dry run deletes nothing.
import { describe, expect, it } from "vitest";
import { deleteEndedDeliveries } from "../../src/inbox/inbox-retention.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";

const cutoff = new Date("2026-10-30T00:00:00Z");
const old = new Date("2026-10-01T00:00:00Z");
const recent = new Date("2026-11-20T00:00:00Z");

async function deliveries(prisma: PrismaClient, prefix: string, count: number, status: string, processedAt: Date | null): Promise<void> {
  await prisma.webhookDelivery.createMany({
    data: Array.from({ length: count }, (_, index) => ({ deliveryId: `${prefix}-${index}`, event: "push", payload: Buffer.from("{}"), status, processedAt })),
  });
}

describe("inbox retention", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));

  it("deletes ended deliveries older than the cutoff in batches of 1,000 and keeps every other", async () => {
    await deliveries(prisma, "old-done", 2_345, "done", old);
    await deliveries(prisma, "old-rejected", 5, "rejected", old);
    await deliveries(prisma, "recent-done", 3, "done", recent);
    await deliveries(prisma, "old-failed", 4, "failed", old);
    await deliveries(prisma, "pending", 2, "pending", null);
    await deliveries(prisma, "processing", 1, "processing", null);

    expect(await deleteEndedDeliveries(prisma, cutoff, { dryRun: true })).toEqual({ deliveries: 2_350, batches: 0 });
    expect(await prisma.webhookDelivery.count()).toBe(2_360);

    expect(await deleteEndedDeliveries(prisma, cutoff)).toEqual({ deliveries: 2_350, batches: 3 });
    const left = await prisma.webhookDelivery.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } });
    expect(left.map((group) => [group.status, group._count._all])).toEqual([["done", 3], ["failed", 4], ["pending", 2], ["processing", 1]]);
    expect(await deleteEndedDeliveries(prisma, cutoff)).toEqual({ deliveries: 0, batches: 0 });
  });
});
