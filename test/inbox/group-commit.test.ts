// The inbox's group commit against the real MariaDB: deliveries stored side by
// side share one INSERT, a repeated id is stored once and answers duplicate,
// and a batch that cannot commit is retried row by row so that only the bad
// row fails; processed deliveries are marked done together.
import { beforeEach, describe, expect, it } from "vitest";
import { InboxStore } from "../../src/inbox/inbox-store.js";
import type { IncomingDelivery } from "../../src/inbox/inbox-store.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { incomingDelivery } from "../support/incoming-delivery.js";
import { prismaForAllTests } from "../support/prisma.js";

function delivery(deliveryId: string, repository = "octo/hello"): IncomingDelivery {
  return incomingDelivery(deliveryId, "push", { ref: "refs/heads/main", repository: { full_name: repository } });
}

async function storedIds(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.webhookDelivery.findMany({ orderBy: { id: "asc" }, select: { deliveryId: true } });
  return rows.map((row) => row.deliveryId);
}

describe("inbox group commit", () => {
  let prisma: PrismaClient;
  let inbox: InboxStore;

  prismaForAllTests((client) => (prisma = client));
  beforeEach(() => {
    inbox = new InboxStore(prisma);
  });

  it("writes the deliveries stored side by side in one flush", async () => {
    const outcomes = await Promise.all(["a", "b", "c", "d"].map((id) => inbox.store(delivery(id))));
    expect(outcomes).toEqual([true, true, true, true]);
    expect(inbox.intakeCounters()).toEqual({ flushes: 1, items: 4, largestBatch: 4 });
    expect(await storedIds(prisma)).toEqual(["a", "b", "c", "d"]);
  });

  it("stores a delivery id repeated inside a batch once and answers duplicate to the repeat", async () => {
    const outcomes = await Promise.all(["a", "b", "a", "c", "b"].map((id) => inbox.store(delivery(id))));
    expect(inbox.intakeCounters().flushes).toBe(1);
    expect(outcomes).toEqual([true, true, false, true, false]);
    expect(await storedIds(prisma)).toEqual(["a", "b", "c"]);
  });

  it("answers duplicate to an id stored by an earlier batch, and stores its new neighbours", async () => {
    expect(await inbox.store(delivery("a"))).toBe(true);
    const outcomes = await Promise.all(["b", "a", "c"].map((id) => inbox.store(delivery(id))));
    expect(outcomes).toEqual([true, false, true]);
    expect(await storedIds(prisma)).toEqual(["a", "b", "c"]);
  });

  it("falls back to one row at a time when the batch cannot commit: only the bad row fails", async () => {
    // repository is VARCHAR(255): this row fails the multi-row INSERT in strict mode.
    // (The intake never hands such a row over: delivery-fields.ts leaves the name out.)
    const bad = { ...delivery("bad"), fields: { action: null, installationId: null, repository: "x".repeat(300) } };
    const outcomes = await Promise.allSettled([inbox.store(delivery("a")), inbox.store(bad), inbox.store(delivery("b")), inbox.store(delivery("a"))]);
    expect(inbox.intakeCounters()).toEqual({ flushes: 1, items: 4, largestBatch: 4 });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : "error"))).toEqual([true, "error", true, false]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/too long/i);
    expect(await storedIds(prisma)).toEqual(["a", "b"]);
  });

  it("collects the deliveries that arrive while a flush is in flight into the next one", async () => {
    const first = inbox.store(delivery("first"));
    // Arrives after the first flush started: it waits for it, then goes with the rest.
    await new Promise((resolve) => setImmediate(resolve));
    const later = ["b", "c", "d"].map((id) => inbox.store(delivery(id)));
    expect(await Promise.all([first, ...later])).toEqual([true, true, true, true]);
    expect(inbox.intakeCounters()).toEqual({ flushes: 2, items: 4, largestBatch: 3 });
  });

  it("marks deliveries done together, each only if its worker still holds it", async () => {
    await Promise.all(["a", "b", "c"].map((id) => inbox.store(delivery(id))));
    expect((await inbox.claim("w1", 3, 300)).map((claimed) => claimed.deliveryId)).toEqual(["a", "b", "c"]);
    // w1's lease on b lapses and w2 takes it over.
    await prisma.webhookDelivery.update({ where: { deliveryId: "b" }, data: { lockedAt: new Date(Date.now() - 301_000) } });
    const [taken] = await inbox.claim("w2", 3, 300);
    expect(taken?.deliveryId).toBe("b");
    await Promise.all([...(await claimedIds(prisma, "w1")), taken!.id].map((id) => inbox.markDone(id, "w1")));
    const rows = await prisma.webhookDelivery.findMany({ orderBy: { id: "asc" }, select: { deliveryId: true, status: true, lockedBy: true } });
    expect(rows).toEqual([
      { deliveryId: "a", status: "done", lockedBy: null },
      { deliveryId: "b", status: "processing", lockedBy: "w2" },
      { deliveryId: "c", status: "done", lockedBy: null },
    ]);
  });
});

async function claimedIds(prisma: PrismaClient, workerId: string): Promise<bigint[]> {
  const rows = await prisma.webhookDelivery.findMany({ where: { lockedBy: workerId }, select: { id: true } });
  return rows.map((row) => row.id);
}
