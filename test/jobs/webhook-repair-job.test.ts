// The webhook repair job against real MariaDB, with GitHub's delivery list
// and redelivery endpoints faked by nock in their published shapes
// (hook-delivery-item, cursor pagination by Link header): it redelivers
// exactly the failed deliveries missing from the inbox, once each, and asks
// again only for those whose request GitHub refused.
import nock from "nock";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { components } from "@octokit/openapi-types";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { webhookRepairJob, WEBHOOK_REPAIR_JOB } from "../../src/jobs/webhook-repair-job.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { githubFakedForEachTest, testAppOctokit } from "../support/app-octokit.js";
import { prismaForAllTests } from "../support/prisma.js";
import { startTestService } from "../support/service.js";

type HookDeliveryItem = components["schemas"]["hook-delivery-item"];

const now = new Date("2026-11-29T06:00:00Z");

function item(id: number, guid: string, minutesAgo: number, statusCode: number): HookDeliveryItem {
  return {
    id,
    guid,
    delivered_at: new Date(now.getTime() - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    redelivery: false,
    duration: 0.03,
    status: statusCode >= 200 && statusCode < 300 ? "OK" : "failed to connect",
    status_code: statusCode,
    event: "push",
    action: null,
    installation_id: 123,
    repository_id: 456,
  };
}

describe("webhook repair job", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

  githubFakedForEachTest();

  function scheduler(): Scheduler {
    return new Scheduler({ prisma, log, instanceId: "replica-a", jobs: [webhookRepairJob(prisma, testAppOctokit())] });
  }

  /** Two pages, newest first, the second reached through the Link header's cursor, ending before the look-back. */
  function listing(): nock.Scope {
    const firstPage = [item(108, "g-failed-1", 5, 502), item(107, "g-stored", 10, 0), item(106, "g-ok", 20, 202)];
    const secondPage = [item(105, "g-failed-2", 30, 0), item(104, "g-failed-1", 40, 500), item(103, "g-bad-body", 50, 400), item(102, "g-old", 5_000, 500)];
    return nock("https://api.github.com")
      .get("/app/hook/deliveries")
      .query({ per_page: "100" })
      .reply(200, firstPage, { link: '<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_105>; rel="next"' })
      .get("/app/hook/deliveries")
      .query({ per_page: "100", cursor: "v1_105" })
      .reply(200, secondPage);
  }

  it("redelivers exactly the failed deliveries missing from the inbox, records the counts, and asks nothing twice", async () => {
    await prisma.webhookDelivery.create({ data: { deliveryId: "g-stored", event: "push", payload: Buffer.from("{}") } });
    const redelivered: number[] = [];
    const github = listing()
      .post(/^\/app\/hook\/deliveries\/\d+\/attempts$/)
      .times(2)
      .reply(202, (uri) => {
        redelivered.push(Number(uri.split("/")[4]));
        return {};
      });

    const first = await scheduler().runSlot(WEBHOOK_REPAIR_JOB, now, "schedule");
    expect(first).toMatchObject({ ran: true, outcome: "succeeded" });
    // Oldest first; g-failed-1's latest attempt (108) is the one named.
    expect(redelivered).toEqual([105, 108]);
    expect(first.ran && first.counts).toEqual({
      attempts: 6,
      deliveries: 5,
      delivered: 1,
      in_inbox: 1,
      already_requested: 0,
      refused_for_body: 1,
      pages: 2,
      listing_truncated: 0,
      redelivered: 2,
      redeliver_errors: 0,
    });
    expect(github.isDone()).toBe(true);
    const service = await startTestService();
    try {
      const ready = (await (await fetch(`${service.url}/ready`)).json()) as { dependencies: Record<string, unknown> };
      expect(ready.dependencies.webhook_repair).toMatchObject({ ok: true, last_run: { status: "succeeded", scheduled_for: now.toISOString(), counts: { redelivered: 2, in_inbox: 1 } } });
    } finally {
      await service.stop();
    }

    // A later run that looks back as far (its run history lost, say) sees
    // the same failed attempts and asks for nothing again.
    await prisma.jobRun.deleteMany();
    listing();
    const second = await scheduler().runSlot(WEBHOOK_REPAIR_JOB, new Date(now.getTime() + 600_000), "schedule");
    expect(second.ran && second.counts).toMatchObject({ already_requested: 2, in_inbox: 1, redelivered: 0 });
    expect((await prisma.webhookRedelivery.findMany({ orderBy: { guid: "asc" } })).map((row) => [row.guid, Number(row.hookDeliveryId), row.failedStatusCode])).toEqual([
      ["g-failed-1", 108, 502],
      ["g-failed-2", 105, 0],
    ]);
  });

  it("a redelivery GitHub refuses is not recorded as asked, so the next run asks again", async () => {
    await prisma.webhookDelivery.create({ data: { deliveryId: "g-stored", event: "push", payload: Buffer.from("{}") } });
    listing().post("/app/hook/deliveries/105/attempts").reply(500, { message: "Server Error" }).post("/app/hook/deliveries/108/attempts").reply(202, {});
    const first = await scheduler().runSlot(WEBHOOK_REPAIR_JOB, now, "schedule");
    expect(first.ran && first.counts).toMatchObject({ redelivered: 1, redeliver_errors: 1 });

    const retried = listing().post("/app/hook/deliveries/105/attempts").reply(202, {});
    await prisma.jobRun.deleteMany();
    const second = await scheduler().runSlot(WEBHOOK_REPAIR_JOB, new Date(now.getTime() + 600_000), "schedule");
    expect(second.ran && second.counts).toMatchObject({ redelivered: 1, redeliver_errors: 0, already_requested: 1 });
    expect(retried.isDone()).toBe(true);
  });

  it("without the app's credentials the run fails saying what is missing", async () => {
    const result = await new Scheduler({ prisma, log, jobs: [webhookRepairJob(prisma, undefined)] }).runSlot(WEBHOOK_REPAIR_JOB, now, "manual");
    expect(result).toMatchObject({ ran: true, outcome: "failed", error: "webhook repair needs the GitHub App's APP_ID and private key" });
  });
});
