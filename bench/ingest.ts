// Webhook ingest against its floor, side by side in one run on the same
// MariaDB: iact-bot's intake (verify, group-committed inbox write, 202) and a
// bare Probot app that verifies and INSERTs each delivery (bench/floor-app.ts),
// at 1, 16 and 64 deliveries in flight: deliveries acknowledged per second,
// p50/p99 acknowledgement latency, and the ratios. Then the drain rate: DORA
// deliveries (merged pull requests, deployments, deployment statuses) posted
// with the worker on, until every one is in the DORA tables (events/s).
import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import pino from "pino";
import { loadConfig } from "../src/config/env.js";
import { startService } from "../src/service.js";
import { applyMigrations } from "../src/store/migrations.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables } from "../test/support/database.js";
import { TEST_APP_ID, TEST_PRIVATE_KEY, TEST_WEBHOOK_SECRET } from "../test/support/github-app.js";
import { testEnv, TestOctokit } from "../test/support/service.js";
import { exampleFor } from "../test/support/webhook-examples.js";
import { closedLoop } from "./closed-loop.js";
import { startFloorApp } from "./floor-app.js";
import { latencySummary } from "./stats.js";
import { measureWebhooksToMetrics } from "./webhooks-to-metrics.js";

const IN_FLIGHT = [1, 16, 64];

interface Figures {
  deliveries_per_second: number;
  p50_ms: number;
  p99_ms: number;
  [key: string]: unknown;
}

/** `total` signed push deliveries (fresh ids) to `url`, `inFlight` at a time; every answer must be `expected`. */
async function load(url: string, total: number, inFlight: number, expected: number): Promise<Figures> {
  const body = JSON.stringify(exampleFor("push"));
  const headers = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/bench",
    "x-github-event": "push",
    "x-hub-signature-256": await sign(TEST_WEBHOOK_SECRET, body),
  };
  const post = async () => {
    const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: { ...headers, "x-github-delivery": randomUUID() }, body });
    await response.arrayBuffer();
    if (response.status !== expected) throw new Error(`${url}: status ${response.status}, expected ${expected}`);
  };
  for (let index = 0; index < 50; index += 1) await post();
  const { samples, seconds } = await closedLoop(total, inFlight, post);
  const summary = latencySummary(samples);
  return { deliveries_per_second: Math.round(total / seconds), p50_ms: summary.p50_ms!, p99_ms: summary.p99_ms!, p95_ms: summary.p95_ms, max_ms: summary.max_ms };
}

async function floor(total: number, inFlight: number): Promise<Figures> {
  const app = await startFloorApp({ settings: testDatabaseSettings(), appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, secret: TEST_WEBHOOK_SECRET });
  try {
    const figures = await load(app.url, total, inFlight, 200);
    return { ...figures, stored: await app.count() };
  } finally {
    await app.stop();
  }
}

async function project(total: number, inFlight: number): Promise<Figures> {
  await truncateAllTables();
  const config = loadConfig(testEnv({ DATABASE_URL: TEST_DATABASE_URL, IACT_WORKER_ENABLED: "false" }));
  const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
  await service.databaseReady;
  try {
    const figures = await load(service.url, total, inFlight, 202);
    const counters = service.inbox.intakeCounters();
    return {
      ...figures,
      stored: await service.prisma.webhookDelivery.count(),
      inserts: counters.flushes,
      mean_batch: Math.round((counters.items / Math.max(1, counters.flushes)) * 10) / 10,
      largest_batch: counters.largestBatch,
    };
  } finally {
    await service.stop();
  }
}

const ratio = (value: number, base: number) => Math.round((value / base) * 100) / 100;

export async function benchIngest(): Promise<Record<string, unknown>> {
  await applyMigrations(testDatabaseSettings());
  const deliveries = Number(process.env.BENCH_INGEST_DELIVERIES ?? 2000);
  const ack: Record<string, unknown> = {};
  for (const inFlight of IN_FLIGHT) {
    const total = inFlight === 1 ? Math.ceil(deliveries / 4) : deliveries;
    // The floor first, then the project, at each level: both see the same machine.
    const floorFigures = await floor(total, inFlight);
    const projectFigures = await project(total, inFlight);
    ack[`in_flight_${inFlight}`] = {
      deliveries: total,
      floor: floorFigures,
      iact_bot: projectFigures,
      throughput_ratio: ratio(projectFigures.deliveries_per_second, floorFigures.deliveries_per_second),
      p50_ratio: ratio(projectFigures.p50_ms, floorFigures.p50_ms),
      p99_ratio: ratio(projectFigures.p99_ms, floorFigures.p99_ms),
    };
  }
  const units = Number(process.env.BENCH_DRAIN_UNITS ?? 300);
  const drain = await measureWebhooksToMetrics(units, 16, Number(process.env.BENCH_DRAIN_WORKER_CONCURRENCY ?? 16));
  return {
    name: "ingest",
    description:
      "signed push deliveries -> ack, iact-bot (worker off) against a bare Probot app that INSERTs each delivery, same MariaDB, same run; ratios are iact-bot / floor. drain: DORA deliveries posted with the worker on until the DORA tables hold them",
    ack,
    drain: { ...drain, events_per_second: drain.deliveries_per_second },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchIngest(), null, 2));
  process.exit(0);
}
