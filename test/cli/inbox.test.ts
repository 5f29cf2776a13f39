// The inbox CLI against the test database, through the real command.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { cli } from "../support/cli.js";
import { testDatabaseSettings, truncateAllTables } from "../support/database.js";

describe("iact-bot inbox", () => {
  let prisma: PrismaClient;

  beforeAll(async () => {
    await truncateAllTables();
    prisma = createPrismaClient(testDatabaseSettings());
    const base = { event: "push", payload: Buffer.from("{}"), attempts: 8, lastError: "Error: boom" };
    await prisma.webhookDelivery.createMany({
      data: [
        { ...base, deliveryId: "failed-1", status: "failed" },
        { ...base, deliveryId: "failed-2", status: "failed" },
        { ...base, deliveryId: "done-1", status: "done", attempts: 1, lastError: null },
        { ...base, deliveryId: "rejected-1", status: "rejected", attempts: 1, lastError: "payload rejected:\npull_request.updated_at: is missing (expected string)" },
      ],
    });
  });

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it("counts deliveries by status", async () => {
    const { stdout } = await cli("inbox", "status");
    expect(stdout).toContain("failed\t2");
    expect(stdout).toContain("done\t1");
    expect(stdout).toContain("pending\t0");
    expect(stdout).toContain("rejected\t1");
  });

  it("queues the named failed delivery again, then all the others", async () => {
    expect((await cli("inbox", "retry", "--delivery", "failed-1")).stdout).toContain("1 failed deliveries queued again");
    const retried = await prisma.webhookDelivery.findUnique({ where: { deliveryId: "failed-1" } });
    expect(retried).toMatchObject({ status: "pending", attempts: 0 });
    expect((await prisma.webhookDelivery.findUnique({ where: { deliveryId: "failed-2" } }))?.status).toBe("failed");
    expect((await cli("inbox", "retry")).stdout).toContain("1 failed deliveries queued again");
    expect((await prisma.webhookDelivery.findUnique({ where: { deliveryId: "done-1" } }))?.status).toBe("done");
    expect((await prisma.webhookDelivery.findUnique({ where: { deliveryId: "rejected-1" } }))?.status).toBe("rejected");
  });

  it("queues rejected deliveries again only when asked", async () => {
    expect((await cli("inbox", "retry", "--rejected")).stdout).toContain("1 failed or rejected deliveries queued again");
    expect(await prisma.webhookDelivery.findUnique({ where: { deliveryId: "rejected-1" } })).toMatchObject({ status: "pending", attempts: 0 });
  });
});
