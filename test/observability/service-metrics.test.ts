// /metrics end to end: signed deliveries and API calls into the real service
// (HTTP server, MariaDB inbox, worker, Probot), GitHub's API faked with nock,
// then /metrics scraped over HTTP and parsed as Prometheus parses it. Every
// count asserted is one this test caused.
import nock from "nock";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { countedJob } from "../../src/service.js";
import type { RunningService } from "../../src/service.js";
import { sendWebhook } from "../support/github-app.js";
import { scrape } from "../support/prometheus.js";
import { deliverQueued, deliveryHandled, serviceForEachTest, startTestService } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";

const API = "https://api.github.com";
const INSTALLATION_ID = 4242;
const CHECK_RUNS = "POST /repos/{owner}/{repo}/check-runs";
const CHECK_RUN_UPDATE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";

/** GitHub for one repository with no files and no .github/iact.yml; every answer carries a rate-limit budget. */
function fakeGitHub(owner: string, repo: string, sha: string, remaining: number): void {
  const budget = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": "4102444800" };
  nock(API)
    .persist()
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: "ghs_metrics", expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write", contents: "read" }, repository_selection: "all" });
  nock(API).persist().get(new RegExp(`^/repos/${owner}/(${repo}|\\.github)/contents/`)).reply(404, { message: "Not Found" }, budget);
  nock(API).persist().get(`/repos/${owner}/${repo}/git/trees/${sha}`).query(true).reply(200, { sha, truncated: false, tree: [] }, budget);
  let nextId = 7000;
  nock(API)
    .persist()
    .post(`/repos/${owner}/${repo}/check-runs`)
    .reply(() => [201, { id: nextId++ }, budget])
    .patch(new RegExp(`^/repos/${owner}/${repo}/check-runs/\\d+$`))
    .reply(200, { id: 1 }, budget);
}

function pullRequestOpened(sha: string) {
  const payload = exampleFor("pull_request", "opened");
  payload.pull_request.head.sha = sha;
  (payload as { installation?: unknown }).installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  return payload;
}

describe("GET /metrics", () => {
  let service: RunningService;
  serviceForEachTest((started) => {
    service = started;
  });

  it("counts deliveries received, stored, duplicate, refused and rejected by event, and bounds unknown events to \"other\"", async () => {
    const push = exampleFor("push");
    const stored = await deliverQueued(service, "push", push);
    const redelivery = await sendWebhook(service.url, "push", push, { deliveryId: stored });
    expect(redelivery.response.status).toBe(200);
    const forged = await sendWebhook(service.url, "push", push, { secret: "not-the-secret" });
    expect(forged.response.status).toBe(401);
    // An event iact-bot does not handle: stored like any other, counted under "other".
    const sponsorship = await deliverQueued(service, "sponsorship", { action: "created", sender: push.sender });
    // A push whose payload lacks what the handlers read: stored, then rejected by the worker.
    const broken = await deliverQueued(service, "push", { ref: "refs/heads/main" });
    for (const id of [stored, sponsorship, broken]) await deliveryHandled(service, id, { final: true });

    const metrics = await scrape(service.metricsUrl);
    const deliveries = (event: string, outcome: string) => metrics.value("iact_webhook_deliveries_total", { event, outcome });
    expect(deliveries("push", "received")).toBe(4);
    expect(deliveries("push", "stored")).toBe(2);
    expect(deliveries("push", "duplicate")).toBe(1);
    expect(deliveries("push", "refused")).toBe(1);
    expect(deliveries("push", "rejected")).toBe(1);
    expect(deliveries("other", "received")).toBe(1);
    expect(deliveries("other", "stored")).toBe(1);
    expect(metrics.labelValues("iact_webhook_deliveries_total", "event")).toEqual(["other", "push"]);
    // The valid push and the sponsorship went through the handlers; the rejected push never did.
    expect(metrics.count("iact_delivery_processing_seconds", { event: "push", outcome: "done" })).toBe(1);
    expect(metrics.count("iact_delivery_processing_seconds", { event: "other", outcome: "done" })).toBe(1);
    expect(metrics.count("iact_delivery_processing_seconds", { event: "push" })).toBe(1);
    // Nothing left in the inbox.
    expect(metrics.value("iact_inbox_deliveries", { status: "pending" })).toBe(0);
    expect(metrics.value("iact_inbox_deliveries", { status: "processing" })).toBe(0);
    expect(metrics.value("iact_inbox_oldest_pending_age_seconds")).toBe(0);
  });

  it("counts GitHub requests by route template and status, the rate-limit budget per installation and check runs by conclusion", async () => {
    const sha = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    fakeGitHub("Codertocat", "Hello-World", sha, 4321);
    const deliveryId = await deliverQueued(service, "pull_request", pullRequestOpened(sha));
    const row = await deliveryHandled(service, deliveryId, { final: true });
    expect(row.status).toBe("done");

    const metrics = await scrape(service.metricsUrl);
    // Three check runs (restrictions, docs, security): created in progress, then completed with one PATCH each.
    expect(metrics.value("iact_github_requests_total", { endpoint: CHECK_RUNS, status: "201" })).toBe(3);
    expect(metrics.value("iact_github_requests_total", { endpoint: CHECK_RUN_UPDATE, status: "200" })).toBe(3);
    expect(metrics.count("iact_github_request_duration_seconds", { endpoint: CHECK_RUNS })).toBe(3);
    expect(metrics.value("iact_check_runs_completed_total", { conclusion: "success" })).toBe(3);
    expect(metrics.value("iact_github_rate_limit_remaining", { installation: String(INSTALLATION_ID) })).toBe(4321);
    // Endpoints are templates: no owner, repository, sha or id appears in any of them.
    const endpoints = metrics.labelValues("iact_github_requests_total", "endpoint");
    expect(endpoints).toContain("POST /app/installations/{installation_id}/access_tokens");
    for (const endpoint of endpoints) expect(endpoint).not.toMatch(/Codertocat|Hello-World|\d/);
  });

  it("times API requests by route template and status, never by the concrete path", async () => {
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/dora/metrics?days=30`)).status).toBe(401);
    expect((await fetch(`${service.url}/api/tokens/12345`)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${service.url}/no/such/page/abc123`)).status).toBe(404);

    const metrics = await scrape(service.metricsUrl);
    expect(metrics.count("iact_http_request_duration_seconds", { method: "GET", route: "/health", status: "200" })).toBe(1);
    expect(metrics.count("iact_http_request_duration_seconds", { method: "GET", route: "/api/dora/metrics", status: "401" })).toBe(1);
    expect(metrics.count("iact_http_request_duration_seconds", { route: "unmatched", status: "404" })).toBeGreaterThanOrEqual(1);
    for (const route of metrics.labelValues("iact_http_request_duration_seconds", "route")) expect(route).not.toMatch(/12345|abc123/);
  });

  it("reports the inbox backlog and the age of its oldest pending delivery", async () => {
    await service.worker.stop();
    const first = await deliverQueued(service, "push", exampleFor("push"));
    await deliverQueued(service, "push", exampleFor("push"));
    // Backdate the first delivery by an hour, as if the workers had been down that long.
    await service.prisma.webhookDelivery.update({ where: { deliveryId: first }, data: { receivedAt: new Date(Date.now() - 3_600_000) } });

    const metrics = await scrape(service.metricsUrl);
    expect(metrics.value("iact_inbox_deliveries", { status: "pending" })).toBe(2);
    expect(metrics.value("iact_inbox_deliveries", { status: "processing" })).toBe(0);
    const age = metrics.value("iact_inbox_oldest_pending_age_seconds");
    expect(age).toBeGreaterThanOrEqual(3_600);
    expect(age).toBeLessThan(3_600 + 600);
  });

  it("counts scheduled job runs by job and outcome", async () => {
    const job = (name: string, fail: boolean) =>
      countedJob(
        {
          name,
          description: name,
          schedule: "0 3 * * *",
          timezone: "UTC",
          run: async () => {
            if (fail) throw new Error("the job's dependency is down");
          },
        },
        service.metrics,
      );
    const scheduler = new Scheduler({ prisma: service.prisma, log: pino({ level: "silent" }), jobs: [job("nightly-ok", false), job("nightly-broken", true)] });
    expect(await scheduler.runNow("nightly-ok")).toMatchObject({ ran: true, outcome: "succeeded" });
    expect(await scheduler.runNow("nightly-broken")).toMatchObject({ ran: true, outcome: "failed" });

    const metrics = await scrape(service.metricsUrl);
    expect(metrics.value("iact_job_runs_total", { job: "nightly-ok", outcome: "succeeded" })).toBe(1);
    expect(metrics.value("iact_job_runs_total", { job: "nightly-broken", outcome: "failed" })).toBe(1);
    expect(metrics.value("iact_job_runs_total", { job: "nightly-ok", outcome: "failed" })).toBe(0);
  });

  it("includes Node's default process metrics", async () => {
    const metrics = await scrape(service.metricsUrl);
    expect(metrics.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(metrics.value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("keeps the counts of two services in one process apart", async () => {
    const other = await startTestService();
    try {
      await deliverQueued(service, "push", exampleFor("push"));
      const [mine, theirs] = await Promise.all([scrape(service.metricsUrl), scrape(other.metricsUrl)]);
      expect(mine.value("iact_webhook_deliveries_total", { event: "push", outcome: "stored" })).toBe(1);
      expect(theirs.value("iact_webhook_deliveries_total", { event: "push", outcome: "stored" })).toBe(0);
      // The process's own metrics are the same process's in both.
      expect(theirs.value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    } finally {
      await other.stop();
    }
  });
});
