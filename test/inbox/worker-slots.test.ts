// The worker keeps its slots busy: a delivery that takes long (one waiting
// on GitHub) holds its own slot only, and the others are claimed and
// processed meanwhile, against the real inbox in MariaDB.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { exponentialBackoff, InboxStore } from "../../src/inbox/inbox-store.js";
import { InboxWorker } from "../../src/inbox/worker.js";
import type { ReadDelivery } from "../../src/inbox/worker.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";
import { pingDelivery } from "../support/incoming-delivery.js";
import { waitFor } from "../support/service.js";

async function storePing(inbox: InboxStore, deliveryId: string): Promise<void> {
  await inbox.store(pingDelivery(deliveryId));
}

describe("InboxWorker slots", () => {
  let prisma: PrismaClient;

  prismaForAllTests((client) => {
    prisma = client;
  });

  it("processes the deliveries after a slow one while it is still in hand, and records each once", async () => {
    const inbox = new InboxStore(prisma);
    for (const id of ["slow", "b", "c", "d", "e"]) await storePing(inbox, id);
    let releaseSlow!: () => void;
    const slowHeld = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const handled: string[] = [];
    const worker = new InboxWorker(
      inbox,
      async (delivery: ReadDelivery) => {
        if (delivery.deliveryId === "slow") await slowHeld;
        handled.push(delivery.deliveryId);
      },
      { workerId: "slots-test", concurrency: 2, pollIntervalMs: 20, leaseSeconds: 300, retry: { maxAttempts: 3, backoffMs: exponentialBackoff } },
      pino({ level: "silent" }),
    );
    worker.start();
    try {
      // Two slots, the slow delivery in one: the other four go through the other.
      await waitFor(async () => (await prisma.webhookDelivery.count({ where: { status: "done" } })) === 4, 20_000, "the four others done");
      expect(handled).toEqual(["b", "c", "d", "e"]);
      expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { deliveryId: "slow" } })).toMatchObject({ status: "processing", attempts: 1 });

      releaseSlow();
      await waitFor(async () => (await prisma.webhookDelivery.count({ where: { status: "done" } })) === 5, 20_000, "all five done");
    } finally {
      releaseSlow();
      await worker.stop();
    }
    expect(handled.sort()).toEqual(["b", "c", "d", "e", "slow"]);
    const rows = await prisma.webhookDelivery.findMany();
    expect(rows.every((row) => row.attempts === 1 && row.lockedBy === null)).toBe(true);
  });
});
