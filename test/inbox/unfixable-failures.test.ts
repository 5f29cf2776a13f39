// Handler failures that no retry can fix are rejected at once; outages keep
// their retries. Deliveries of an event iact-bot does not handle (`meta`) go
// to a probe app that fails the way the payload asks, with real Prisma
// errors from the real database.
import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { deliverQueued, deliveryHandled, serviceForAllTests } from "../support/service.js";

let service: RunningService;

const FAILURES: Record<string, (deliveryId: string) => Promise<unknown>> = {
  // A query whose arguments do not fit the schema: PrismaClientValidationError.
  "a value of the wrong type": () => service.prisma.webhookDelivery.count({ where: { attempts: "many" as unknown as number } }),
  // A string longer than its column (delivery_id is VARCHAR(64)): P2000.
  "a value too long for its column": () =>
    service.prisma.webhookDelivery.create({ data: { deliveryId: "d".repeat(100), event: "meta", payload: Buffer.from("{}") } }),
  // Out of BIGINT range: refused before the driver, whose pool it would have drained.
  "an integer out of BIGINT range": () => service.prisma.$queryRaw`SELECT ${-(2n ** 64n)} AS value`,
  // Out of an INT column's range: MySQL 1264 through a raw statement.
  "a number out of its column's range": (deliveryId) =>
    service.prisma.$executeRaw`UPDATE webhook_deliveries SET attempts = ${2 ** 40} WHERE delivery_id = ${deliveryId}`,
};

function probeApp(probot: Probot): void {
  probot.on("meta", async (context) => {
    const failure = (context.payload as unknown as { failure: string }).failure;
    if (failure === "an outage") throw new Error("connect ECONNREFUSED 127.0.0.1:3306");
    await FAILURES[failure]!(context.id);
  });
}

describe("worker: failures no retry can fix", () => {
  serviceForAllTests((started) => (service = started), { apps: [probeApp] });

  it.each(Object.keys(FAILURES))("rejects a delivery whose handling fails with %s at its first attempt", async (failure) => {
    const deliveryId = await deliverQueued(service, "meta", { action: "deleted", hook_id: 1, failure });
    const row = await deliveryHandled(service, deliveryId);
    expect({ status: row.status, attempts: row.attempts }).toEqual({ status: "rejected", attempts: 1 });
    expect(row.lastError).toMatch(/^cannot be handled, whatever the retry:/);
  });

  it("keeps retrying a failure that may pass (an outage)", async () => {
    const deliveryId = await deliverQueued(service, "meta", { action: "deleted", hook_id: 1, failure: "an outage" });
    const row = await deliveryHandled(service, deliveryId);
    expect({ status: row.status, attempts: row.attempts }).toEqual({ status: "pending", attempts: 1 });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
  });
});
