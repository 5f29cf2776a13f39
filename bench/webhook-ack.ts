// Webhook acknowledgement latency: signed POST -> 202, with the MySQL inbox
// write included (the answer is sent only after the row is stored). The
// worker is off so processing does not compete with the intake; a second
// pass measures the same with the worker on.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { loadConfig } from "../src/config/env.js";
import { startService } from "../src/service.js";
import { applyMigrations } from "../src/store/migrations.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables } from "../test/support/database.js";
import { sendWebhook } from "../test/support/github-app.js";
import { testEnv, TestOctokit } from "../test/support/service.js";
import { exampleFor } from "../test/support/webhook-examples.js";
import { closedLoop } from "./closed-loop.js";
import { latencySummary } from "./stats.js";

async function measure(workerEnabled: boolean, deliveries: number, concurrency: number): Promise<Record<string, unknown>> {
  await truncateAllTables();
  const config = loadConfig(testEnv({ DATABASE_URL: TEST_DATABASE_URL, IACT_WORKER_ENABLED: String(workerEnabled) }));
  const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
  await service.databaseReady;
  const payload = exampleFor("push");
  const body = JSON.stringify(payload);
  try {
    // Warm up connections and JIT.
    for (let index = 0; index < 20; index += 1) await sendWebhook(service.url, "push", payload, { rawBody: body });
    const { samples, seconds } = await closedLoop(deliveries, concurrency, async () => {
      const { response } = await sendWebhook(service.url, "push", payload, { rawBody: body, deliveryId: randomUUID() });
      if (response.status !== 202) throw new Error(`unexpected status ${response.status}`);
    });
    return {
      worker: workerEnabled,
      deliveries,
      client_concurrency: concurrency,
      payload_bytes: Buffer.byteLength(body),
      deliveries_per_second: Math.round(deliveries / seconds),
      ...latencySummary(samples),
    };
  } finally {
    await service.stop();
  }
}

export async function benchWebhookAck(): Promise<Record<string, unknown>> {
  await applyMigrations(testDatabaseSettings());
  const deliveries = Number(process.env.BENCH_DELIVERIES ?? 500);
  return {
    name: "webhook-ack",
    description: "signed POST /api/github/webhooks -> 202, MySQL inbox write included",
    sequential: await measure(false, deliveries, 1),
    concurrent_8: await measure(false, deliveries, 8),
    sequential_with_worker: await measure(true, deliveries, 1),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchWebhookAck(), null, 2));
  process.exit(0);
}
