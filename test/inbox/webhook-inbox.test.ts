// The durable webhook inbox, end to end: real HTTP server, real MariaDB,
// deliveries signed with the webhook secret, payloads from GitHub's examples.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { InboxStore } from "../../src/inbox/inbox-store.js";
import type { RunningService } from "../../src/service.js";
import { truncateAllTables } from "../support/database.js";
import { sendWebhook } from "../support/github-app.js";
import { incomingDelivery } from "../support/incoming-delivery.js";
import { startTestService, waitFor } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";

interface Recorded {
  id: string;
  name: string;
}

/** A Probot app that records what the worker hands it, and can be told to fail. */
function recorder() {
  const received: Recorded[] = [];
  const failures = new Map<string, number>();
  const app = (probot: Probot) => {
    probot.onAny(async (event) => {
      received.push({ id: event.id, name: event.name });
      const remaining = failures.get(event.id) ?? 0;
      if (remaining > 0) {
        failures.set(event.id, remaining - 1);
        throw new Error(`handler failure for ${event.id}`);
      }
    });
  };
  return { app, received, failTimes: (id: string, times: number) => failures.set(id, times) };
}

async function deliveryRow(service: RunningService, deliveryId: string) {
  return service.prisma.webhookDelivery.findUnique({ where: { deliveryId } });
}

describe("webhook inbox", () => {
  let service: RunningService;
  let recording: ReturnType<typeof recorder>;

  beforeEach(async () => {
    await truncateAllTables();
    recording = recorder();
    service = await startTestService({ apps: [recording.app] });
  });

  afterEach(async () => {
    await service.stop();
  });

  it("stores a signed delivery before answering 202, then processes it once", async () => {
    const payload = exampleFor("push");
    const { response, deliveryId, body } = await sendWebhook(service.url, "push", payload);
    expect(response.status).toBe(202);
    expect(body).toEqual({ status: "queued", delivery: deliveryId });

    const row = await waitFor(async () => {
      const current = await deliveryRow(service, deliveryId);
      return current?.status === "done" ? current : undefined;
    }, 10_000, "the delivery to be processed");
    expect(row.event).toBe("push");
    expect(row.repository).toBe(payload.repository.full_name);
    expect(row.installationId).toBe(payload.installation ? BigInt(payload.installation.id) : null);
    expect(row.attempts).toBe(1);
    // Stored as the bytes GitHub signed.
    expect(Buffer.from(row.payload).toString("utf8")).toBe(JSON.stringify(payload));
    expect(recording.received).toEqual([{ id: deliveryId, name: "push" }]);
  });

  it.each([
    ["a wrong secret", { secret: "not-the-secret" }, 401],
    ["no signature", { secret: null }, 401],
  ] as const)("refuses a delivery with %s and stores nothing", async (_label, options, status) => {
    const { response, body } = await sendWebhook(service.url, "push", exampleFor("push"), options);
    expect(response.status).toBe(status);
    expect((body as { error: string }).error).toMatch(/signature/i);
    expect(await service.prisma.webhookDelivery.count()).toBe(0);
  });

  it("refuses a body changed after signing", async () => {
    const payload = exampleFor("push");
    const original = await sendWebhook(service.url, "push", payload, { deliveryId: "tamper-1", rawBody: JSON.stringify(payload) });
    expect(original.response.status).toBe(202);
    // Same signature header computation, but for a different body than sent.
    const { sign } = await import("@octokit/webhooks-methods");
    const signature = await sign("iact-test-webhook-secret", JSON.stringify(payload));
    const response = await fetch(`${service.url}/api/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": "push", "x-github-delivery": "tamper-2", "x-hub-signature-256": signature, "content-type": "application/json" },
      body: JSON.stringify({ ...payload, ref: "refs/heads/evil" }),
    });
    expect(response.status).toBe(401);
    expect(await deliveryRow(service, "tamper-2")).toBeNull();
  });

  it("answers 400 to malformed JSON (correctly signed) and stores nothing", async () => {
    const { response, body } = await sendWebhook(service.url, "push", null, { rawBody: '{"ref": "refs/heads/main",' });
    expect(response.status).toBe(400);
    expect((body as { error: string }).error).toMatch(/not valid JSON/);
    expect(await service.prisma.webhookDelivery.count()).toBe(0);
  });

  it("answers 400 when GitHub's headers are missing", async () => {
    const response = await fetch(`${service.url}/api/github/webhooks`, { method: "POST", body: "{}" });
    expect(response.status).toBe(400);
    expect(await service.prisma.webhookDelivery.count()).toBe(0);
  });

  it("acknowledges a redelivery of the same id without processing it again", async () => {
    const payload = exampleFor("issues", "opened");
    const first = await sendWebhook(service.url, "issues", payload, { deliveryId: "dup-1" });
    expect(first.response.status).toBe(202);
    await waitFor(async () => (await deliveryRow(service, "dup-1"))?.status === "done", 10_000, "first processing");
    const second = await sendWebhook(service.url, "issues", payload, { deliveryId: "dup-1" });
    expect(second.response.status).toBe(200);
    expect(second.body).toEqual({ status: "duplicate", delivery: "dup-1" });
    // Give the worker every chance to (wrongly) run it again.
    await service.worker.drainOnce();
    expect(recording.received.filter((event) => event.id === "dup-1")).toHaveLength(1);
    expect(await service.prisma.webhookDelivery.count()).toBe(1);
  });

  it("retries a failing handler with backoff and keeps the error; gives up after the last attempt", async () => {
    recording.failTimes("flaky-1", 100);
    await sendWebhook(service.url, "push", exampleFor("push"), { deliveryId: "flaky-1" });
    const afterFirst = await waitFor(async () => {
      const row = await deliveryRow(service, "flaky-1");
      return row?.attempts === 1 && row.status === "pending" ? row : undefined;
    }, 10_000, "the first failed attempt");
    expect(afterFirst.lastError).toContain("handler failure for flaky-1");
    expect(afterFirst.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 500);

    // Make the remaining attempts due now instead of waiting out the backoff.
    for (let attempt = 2; attempt <= 8; attempt += 1) {
      await service.prisma.webhookDelivery.update({ where: { deliveryId: "flaky-1" }, data: { nextAttemptAt: new Date(0) } });
      service.worker.wake();
      await waitFor(async () => (await deliveryRow(service, "flaky-1"))?.attempts === attempt, 10_000, `attempt ${attempt}`);
      await waitFor(async () => (await deliveryRow(service, "flaky-1"))?.status !== "processing", 10_000, `attempt ${attempt} to finish`);
    }
    const final = await deliveryRow(service, "flaky-1");
    expect(final?.status).toBe("failed");
    expect(final?.attempts).toBe(8);
    expect(final?.lastError).toContain("handler failure for flaky-1");
    expect(recording.received.filter((event) => event.id === "flaky-1")).toHaveLength(8);

    // An operator can put it back in the queue.
    recording.failTimes("flaky-1", 0);
    expect(await service.inbox.retryFailed(["flaky-1"])).toBe(1);
    service.worker.wake();
    await waitFor(async () => (await deliveryRow(service, "flaky-1"))?.status === "done", 10_000, "the retried delivery");
  });

  it("waits as long as GitHub asked before retrying a delivery that hit a rate limit", async () => {
    const app = (probot: Probot) => {
      probot.on("issues", async () => {
        throw Object.assign(new Error("You have exceeded a secondary rate limit"), { status: 403, response: { headers: { "retry-after": "600" } } });
      });
    };
    await service.stop();
    service = await startTestService({ apps: [app] });
    const before = Date.now();
    await sendWebhook(service.url, "issues", exampleFor("issues", "opened"), { deliveryId: "limited-1" });
    const row = await waitFor(async () => {
      const current = await deliveryRow(service, "limited-1");
      return current?.attempts === 1 && current.status === "pending" ? current : undefined;
    }, 10_000, "the rate-limited attempt");
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 600_000);
    expect(row.lastError).toContain("secondary rate limit");
  });

  it("stores every delivery while the worker claims side by side (no deadlock between intake and claims)", async () => {
    const payload = exampleFor("push");
    const body = JSON.stringify(payload);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 200) {
          next += 1;
          statuses.push((await sendWebhook(service.url, "push", payload, { rawBody: body })).response.status);
        }
      }),
    );
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    await waitFor(async () => (await service.prisma.webhookDelivery.count({ where: { status: "done" } })) === 200, 30_000, "every delivery processed");
  });

  it("reclaims a delivery whose worker died mid-processing once its lease expires", async () => {
    await service.worker.stop();
    await sendWebhook(service.url, "push", exampleFor("push"), { deliveryId: "orphan-1" });
    const store = new InboxStore(service.prisma);
    const claimed = await store.claim("dead-worker", 10, 300);
    expect(claimed.map((delivery) => delivery.deliveryId)).toEqual(["orphan-1"]);
    // Still leased: nobody else may take it.
    expect(await store.claim("other-worker", 10, 300)).toEqual([]);
    // The lease runs out (simulated by ageing the lock).
    await service.prisma.webhookDelivery.update({ where: { deliveryId: "orphan-1" }, data: { lockedAt: new Date(Date.now() - 301_000) } });
    const reclaimed = await store.claim("other-worker", 10, 300);
    expect(reclaimed.map((delivery) => delivery.deliveryId)).toEqual(["orphan-1"]);
    expect(reclaimed[0]?.attempts).toBe(2);
  });

  it("lets several workers claim side by side without handing a delivery to two of them", async () => {
    await service.worker.stop();
    const payload = exampleFor("push");
    for (let index = 0; index < 60; index += 1) {
      await service.inbox.store(incomingDelivery(`parallel-${index}`, "push", payload as unknown as Record<string, unknown>));
    }
    const stores = [new InboxStore(service.prisma), new InboxStore(service.prisma), new InboxStore(service.prisma)];
    const claims = await Promise.all(
      stores.map(async (store, worker) => {
        const ids: string[] = [];
        for (;;) {
          const batch = await store.claim(`worker-${worker}`, 5, 300);
          if (batch.length === 0) return ids;
          ids.push(...batch.map((delivery) => delivery.deliveryId));
        }
      }),
    );
    const all = claims.flat();
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
  });
});
