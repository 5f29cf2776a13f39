// The worker with a batch step (the service's DORA capture), against the
// real inbox in MariaDB: one step for the whole claimed batch, then each
// delivery done, retried, rejected or handed to its handlers, as its own
// outcome says.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { exponentialBackoff, InboxStore } from "../../src/inbox/inbox-store.js";
import { InboxWorker } from "../../src/inbox/worker.js";
import type { BatchStep, ReadDelivery } from "../../src/inbox/worker.js";
import type { Settled } from "../../src/lib/group-commit.js";
import { IntegerOutOfRangeError } from "../../src/store/integer-range-guard.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";
import { pingDelivery } from "../support/incoming-delivery.js";
import { waitFor } from "../support/service.js";

async function storePing(inbox: InboxStore, deliveryId: string, body?: string): Promise<void> {
  await inbox.store(pingDelivery(deliveryId, body));
}

/** A batch step that fails the deliveries named so, and sends "handled-*" on to the handlers. */
function recordingStep(size: number) {
  const batches: string[][] = [];
  const step: BatchStep = {
    size,
    prepare: async (deliveries: readonly ReadDelivery[]) => {
      batches.push(deliveries.map((delivery) => delivery.deliveryId));
      return deliveries.map((delivery): Settled<void> => {
        if (delivery.deliveryId === "capture-fails") return { ok: false, error: new Error("GitHub answered 502 to the compare") };
        if (delivery.deliveryId === "out-of-range") return { ok: false, error: new IntegerOutOfRangeError(2n ** 64n) };
        return { ok: true, value: undefined };
      });
    },
    needsHandlers: (delivery) => delivery.deliveryId.startsWith("handled"),
  };
  return { step, batches };
}

describe("InboxWorker with a batch step", () => {
  let prisma: PrismaClient;

  prismaForAllTests((client) => {
    prisma = client;
  });

  it("runs the step once for the claimed batch and records each delivery by its own outcome", async () => {
    const inbox = new InboxStore(prisma);
    const ids = ["captured-1", "handled-1", "capture-fails", "captured-2", "handled-2", "out-of-range"];
    for (const id of ids) await storePing(inbox, id);
    await storePing(inbox, "not-json", "{ this is not json");
    const { step, batches } = recordingStep(50);
    const handled: string[] = [];
    const outcomes: Array<[string, string]> = [];
    const worker = new InboxWorker(
      inbox,
      async (delivery) => {
        handled.push(delivery.deliveryId);
      },
      {
        workerId: "batch-test",
        concurrency: 2,
        pollIntervalMs: 20,
        leaseSeconds: 300,
        retry: { maxAttempts: 3, backoffMs: exponentialBackoff },
        batch: step,
        onBatchOutcome: (event, outcome) => outcomes.push([event, outcome]),
      },
      pino({ level: "silent" }),
    );
    expect(await worker.drainOnce()).toBe(7);

    // One step for the whole batch; the unreadable body never reaches it.
    expect(batches).toEqual([ids]);
    expect(handled.sort()).toEqual(["handled-1", "handled-2"]);
    const rows = new Map((await prisma.webhookDelivery.findMany()).map((row) => [row.deliveryId, row]));
    for (const id of ["captured-1", "captured-2", "handled-1", "handled-2"]) expect(rows.get(id)).toMatchObject({ status: "done", attempts: 1, lockedBy: null });
    // A failed step is retried like a failed handler, with its error kept.
    expect(rows.get("capture-fails")).toMatchObject({ status: "pending", attempts: 1, lockedBy: null });
    expect(rows.get("capture-fails")?.lastError).toContain("GitHub answered 502 to the compare");
    expect(rows.get("capture-fails")!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    // A failure no retry can fix is rejected at once.
    expect(rows.get("out-of-range")).toMatchObject({ status: "rejected" });
    expect(rows.get("out-of-range")?.lastError).toContain("outside the range of a MySQL BIGINT");
    expect(rows.get("not-json")).toMatchObject({ status: "rejected" });
    // The step's own outcomes are reported (the handler reports the handled ones).
    expect(outcomes.sort()).toEqual([
      ["ping", "done"],
      ["ping", "done"],
      ["ping", "failed"],
      ["ping", "failed"],
    ]);
  });

  it("keeps at most `concurrency` deliveries in the handlers, however large the batch", async () => {
    const inbox = new InboxStore(prisma);
    const ids = Array.from({ length: 12 }, (_, index) => `handled-${String(index).padStart(2, "0")}`);
    for (const id of ids) await storePing(inbox, id);
    const { step, batches } = recordingStep(100);
    let inHandlers = 0;
    let most = 0;
    const worker = new InboxWorker(
      inbox,
      async () => {
        inHandlers += 1;
        most = Math.max(most, inHandlers);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inHandlers -= 1;
      },
      { workerId: "batch-slots", concurrency: 3, pollIntervalMs: 20, leaseSeconds: 300, retry: { maxAttempts: 3, backoffMs: exponentialBackoff }, batch: step },
      pino({ level: "silent" }),
    );
    worker.start();
    try {
      await waitFor(async () => (await prisma.webhookDelivery.count({ where: { status: "done" } })) === 12, 20_000, "all twelve done");
    } finally {
      await worker.stop();
    }
    expect(batches).toEqual([ids]);
    expect(most).toBe(3);
  });

  it("retries every delivery of a batch whose step throws as a whole", async () => {
    const inbox = new InboxStore(prisma);
    for (const id of ["a", "b"]) await storePing(inbox, id);
    const worker = new InboxWorker(
      inbox,
      async () => undefined,
      {
        workerId: "batch-throws",
        concurrency: 2,
        pollIntervalMs: 20,
        leaseSeconds: 300,
        retry: { maxAttempts: 3, backoffMs: exponentialBackoff },
        batch: { size: 10, prepare: () => Promise.reject(new Error("MySQL went away")), needsHandlers: () => false },
      },
      pino({ level: "silent" }),
    );
    await worker.drainOnce();
    const rows = await prisma.webhookDelivery.findMany({ orderBy: { deliveryId: "asc" } });
    expect(rows.map((row) => [row.deliveryId, row.status, row.lastError])).toEqual([
      ["a", "pending", "Error: MySQL went away"],
      ["b", "pending", "Error: MySQL went away"],
    ]);
  });
});
