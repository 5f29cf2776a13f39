// The main flow through the real service: signed deliveries over HTTP, the
// durable inbox, the worker, Probot's handlers with the real RepoConfigCache
// (.github/iact.yml absent: defaults), GitHub faked with nock.
import { describe, expect, it } from "vitest";
import nock from "nock";
import type { RunningService } from "../../../src/service.js";
import { sendWebhook } from "../../support/github-app.js";
import { serviceForEachTest, waitFor } from "../../support/service.js";
import { API, OWNER, shopHistory } from "./fake-github.js";
import { report } from "./scenario.js";

describe("DORA capture over signed webhooks", () => {
  let service: RunningService;
  serviceForEachTest((started) => (service = started));

  it("captures deployments, statuses, merged PRs and incidents delivered out of order, each once", async () => {
    const history = shopHistory();
    history.intercept();
    nock(API).persist().get(`/repos/${OWNER}/.github/contents/.github%2Fiact.yml`).reply(404, { message: "Not Found" });
    // Other features answer pushes and opened PRs; this test is about DORA capture only.
    const deliveries = history.deliveries().filter((delivery) => delivery.event !== "push" && !(delivery.event === "pull_request" && delivery.payload.action === "opened")).reverse();
    const ids: string[] = [];
    for (const delivery of deliveries) {
      const { response, deliveryId } = await sendWebhook(service.url, delivery.event, delivery.payload);
      expect(response.status).toBe(202);
      ids.push(deliveryId);
    }
    // One redelivery under the same id, one copy under a new id.
    expect((await sendWebhook(service.url, deliveries[0]!.event, deliveries[0]!.payload, { deliveryId: ids[0] })).response.status).toBe(200);
    await sendWebhook(service.url, deliveries[1]!.event, deliveries[1]!.payload);

    await waitFor(async () => (await service.prisma.webhookDelivery.count({ where: { status: "done" } })) === deliveries.length + 1, 20_000, "every delivery to be processed");
    const figures = await report(service.prisma);
    expect(figures.evidence.deployments).toEqual(["deployment:100", "deployment:101"]);
    expect(figures.change_failure_rate).toBe(0.5);
    expect(figures.failed_deployment_attempts).toBe(1);
    expect(figures.lead_time_hours.count).toBe(4);
    expect(figures.time_to_restore_hours.median).toBe(2);
    expect(await service.prisma.doraDeploymentStatus.count()).toBe(7);
  });
});
