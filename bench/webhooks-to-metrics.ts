// Webhooks to metrics, end to end: signed deliveries (merged PRs, deployments
// and their statuses) -> HTTP intake -> MySQL inbox -> worker -> DORA capture
// (compare API and PR commits answered by nock) -> loadDoraInput ->
// computeDoraReport. Measures deliveries per second from the first POST until
// every delivery is done and the report counts every deployment.
import pino from "pino";
import nock from "nock";
import { loadConfig } from "../src/config/env.js";
import { computeDoraReport } from "../src/dora/index.js";
import { startService } from "../src/service.js";
import { loadDoraInput } from "../src/store/dora-records.js";
import { applyMigrations } from "../src/store/migrations.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables } from "../test/support/database.js";
import { sendWebhook } from "../test/support/github-app.js";
import { testEnv, TestOctokit } from "../test/support/service.js";
import { API, at, FakeRepo, OWNER, REPO } from "../test/github/dora-capture/fake-github.js";
import { latencySummary } from "./stats.js";

/** `units` merged PRs, each deployed to production (deployment, in_progress, success). */
function syntheticHistory(units: number): FakeRepo {
  const repo = new FakeRepo();
  const start = Date.parse("2024-01-01T00:00:00Z");
  const time = (hours: number) => new Date(start + hours * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
  repo.commit("c00000", [], time(0), "Initial commit");
  let main = "c00000";
  for (let unit = 1; unit <= units; unit += 1) {
    const id = String(unit).padStart(5, "0");
    const hour = unit * 4;
    repo.commit(`f${id}`, [main], time(hour), `Feature ${unit}`);
    repo.commit(`m${id}`, [main, `f${id}`], time(hour + 1), `Merge pull request #${unit}`);
    repo.pull({ number: unit, title: `Feature ${unit}`, head: `feature-${unit}`, commits: [`f${id}`], openedAt: at(time(hour)), mergedAt: at(time(hour + 1)), mergeCommit: `m${id}` });
    repo.deployment(10_000 + unit, `m${id}`, "production", time(hour + 2), [["in_progress", time(hour + 2)], ["success", time(hour + 3)]]);
    main = `m${id}`;
  }
  return repo;
}

/** Posts the deliveries of `units` merged and deployed PRs, `concurrency` at a time, with the worker on; returns once the report counts them all. */
export async function measureWebhooksToMetrics(units: number, concurrency: number, workerConcurrency: number): Promise<Record<string, unknown> & { deliveries_per_second: number }> {
  await truncateAllTables();
  nock.cleanAll();
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
  const history = syntheticHistory(units);
  history.intercept();
  nock(API).persist().get(`/repos/${OWNER}/.github/contents/.github%2Fiact.yml`).reply(404, { message: "Not Found" });
  // Pushes and opened PRs also wake the checks feature; measure DORA capture alone.
  const deliveries = history.deliveries().filter((delivery) => delivery.event !== "push" && !(delivery.event === "pull_request" && delivery.payload.action === "opened"));

  const config = loadConfig(testEnv({ DATABASE_URL: TEST_DATABASE_URL, IACT_WORKER_CONCURRENCY: String(workerConcurrency), IACT_WORKER_POLL_MS: "20" }));
  const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
  await service.databaseReady;
  const from = new Date("2024-01-01T00:00:00Z");
  const to = new Date(Date.parse("2024-01-01T00:00:00Z") + (units + 2) * 4 * 3_600_000);
  try {
    const ackSamples: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < deliveries.length) {
          const delivery = deliveries[next]!;
          next += 1;
          const begin = performance.now();
          const { response } = await sendWebhook(service.url, delivery.event, delivery.payload);
          ackSamples.push(performance.now() - begin);
          if (response.status !== 202) throw new Error(`unexpected status ${response.status}`);
        }
      }),
    );
    const acknowledged = performance.now();
    const deadline = Date.now() + 300_000;
    let deployments = 0;
    for (;;) {
      const done = await service.prisma.webhookDelivery.count({ where: { status: "done" } });
      if (done === deliveries.length) {
        const report = computeDoraReport(await loadDoraInput(service.prisma, { repo: REPO, from, to }), { from, to });
        deployments = report.deployment_frequency.deployments;
        if (deployments === units && report.lead_time_hours.count === units) break;
      }
      const failed = await service.prisma.webhookDelivery.count({ where: { status: "failed" } });
      if (failed > 0 || Date.now() > deadline) throw new Error(`processing stalled: ${done}/${deliveries.length} done, ${failed} failed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const finished = performance.now();
    const seconds = (finished - started) / 1000;
    const reportStarted = performance.now();
    await loadDoraInput(service.prisma, { repo: REPO, from, to }).then((input) => computeDoraReport(input, { from, to }));
    return {
      deliveries: deliveries.length,
      deployments,
      changes: await service.prisma.doraChange.count(),
      github_calls: history.calls.length,
      client_concurrency: concurrency,
      worker_concurrency: workerConcurrency,
      deliveries_per_second: Math.round((deliveries.length / seconds) * 10) / 10,
      ack_seconds: Math.round((acknowledged - started) / 10) / 100,
      total_seconds: Math.round(seconds * 100) / 100,
      report_ms: Math.round(performance.now() - reportStarted),
      ack_latency: latencySummary(ackSamples),
    };
  } finally {
    await service.stop();
    nock.cleanAll();
  }
}

export async function benchWebhooksToMetrics(): Promise<Record<string, unknown>> {
  await applyMigrations(testDatabaseSettings());
  const units = Number(process.env.BENCH_DORA_UNITS ?? 100);
  return {
    name: "webhooks-to-metrics",
    description: "signed deliveries (merged PRs, deployments, statuses) -> inbox -> worker -> DORA tables -> report; until every delivery is done and the report counts them",
    worker_4: await measureWebhooksToMetrics(units, 8, 4),
    worker_8: await measureWebhooksToMetrics(units, 8, 8),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchWebhooksToMetrics(), null, 2));
  process.exit(0);
}
