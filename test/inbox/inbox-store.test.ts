// InboxStore.claim against the real inbox in MariaDB: a claim reads at most
// its byte budget of payloads (a worker claiming a hundred deliveries must
// not hold a hundred 25 MB bodies at once), yet always at least one
// delivery, and leaves the rest due and unlocked for the next claim.
import { describe, expect, it } from "vitest";
import { InboxStore } from "../../src/inbox/inbox-store.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { pingDelivery } from "../support/incoming-delivery.js";
import { prismaForAllTests } from "../support/prisma.js";

async function storePing(inbox: InboxStore, deliveryId: string, bytes: number): Promise<void> {
  const zen = "z".repeat(Math.max(0, bytes - 30));
  const body = JSON.stringify({ zen, hook_id: 1 }).padEnd(bytes, " ");
  expect(Buffer.byteLength(body)).toBe(bytes);
  await inbox.store(pingDelivery(deliveryId, body));
}

describe("InboxStore.claim", () => {
  let prisma: PrismaClient;

  prismaForAllTests((client) => {
    prisma = client;
  });

  it("claims, oldest first, only the deliveries whose payloads fit the byte budget; the others stay due for the next claim", async () => {
    const inbox = new InboxStore(prisma);
    for (const id of ["a", "b", "c", "d"]) await storePing(inbox, id, 1_000);

    const first = await inbox.claim("worker-1", 10, 300, 2_500);
    expect(first.map((delivery) => [delivery.deliveryId, delivery.attempts, delivery.body.length])).toEqual([
      ["a", 1, 1_000],
      ["b", 1, 1_000],
    ]);
    const rows = new Map((await prisma.webhookDelivery.findMany()).map((row) => [row.deliveryId, row]));
    expect(rows.get("a")).toMatchObject({ status: "processing", lockedBy: "worker-1", attempts: 1 });
    expect(rows.get("c")).toMatchObject({ status: "pending", lockedBy: null, attempts: 0 });

    // Another worker takes the rest right away: the rows left out were not kept locked.
    const second = await inbox.claim("worker-2", 10, 300, 2_500);
    expect(second.map((delivery) => delivery.deliveryId)).toEqual(["c", "d"]);
  });

  it("claims one delivery larger than the whole budget on its own", async () => {
    const inbox = new InboxStore(prisma);
    await storePing(inbox, "huge", 50_000);
    await storePing(inbox, "small", 100);
    expect((await inbox.claim("worker-1", 10, 300, 10_000)).map((delivery) => delivery.deliveryId)).toEqual(["huge"]);
    expect((await inbox.claim("worker-1", 10, 300, 10_000)).map((delivery) => delivery.deliveryId)).toEqual(["small"]);
    expect(await inbox.claim("worker-1", 10, 300, 10_000)).toEqual([]);
  });
});
