// The Cassandra log store's worker thread, on the real Cassandra: the
// logger's lines reach the table from the thread, redacted, and the thread's
// counts reach the main thread; a Cassandra that does not answer makes the
// thread drop and count lines, and that count shows in /ready and in the
// health snapshots of a running service.
import type { Client } from "cassandra-driver";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HEALTH_SNAPSHOT_JOB } from "../../src/jobs/health-snapshot-job.js";
import { cassandraSettingsFromEnv, createCassandraClient } from "../../src/logs/cassandra-client.js";
import type { CassandraSettings } from "../../src/logs/cassandra-client.js";
import { CassandraLogStore, ensureLogSchema } from "../../src/logs/cassandra-log-store.js";
import { createLogger } from "../../src/logs/logger.js";
import { LogStoreThread } from "../../src/logs/log-store-thread.js";
import type { RunningService } from "../../src/service.js";
import { call, tokenFor } from "../http/api-client.js";
import { truncateAllTables } from "../support/database.js";
import { readAllPages } from "../support/log-store-contract.js";
import { startTestService, waitFor } from "../support/service.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const keyspace = "iact_test_log_thread";
const settings: CassandraSettings = { ...cassandraSettingsFromEnv(process.env), keyspace };
let client: Client;
let thread: LogStoreThread | undefined;

beforeAll(async () => {
  client = createCassandraClient(settings);
  await ensureLogSchema(client, keyspace);
}, 60_000);

afterEach(async () => {
  await thread?.stop();
  thread = undefined;
});

afterAll(async () => {
  await client?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client?.shutdown();
});

/** Lines logged in the last minute, as the query API reads them. */
async function recentLines() {
  const now = Date.now();
  return readAllPages(new CassandraLogStore(client, keyspace), { from: new Date(now - 60_000), to: new Date(now + 60_000), limit: 1_000 });
}

describe("the Cassandra log store's worker thread", () => {
  it("writes the logger's lines from its thread, redacted, reports its counts back, and sends what it holds at stop", async () => {
    await client.execute(`TRUNCATE ${keyspace}.log_lines`);
    const secret = "thread-secret-value";
    thread = new LogStoreThread({ cassandra: settings, maxBufferedLines: 1_000, stopTimeoutMs: 5_000 });
    const log = createLogger({ level: "info", secrets: [secret], destination: thread });
    for (let index = 0; index < 120; index++) log.info({ repository: "acme/api", request_id: `req-${index}` }, `step ${index} signed with ${secret}`);
    await thread.flush();
    expect(thread.status()).toEqual({ ok: true, buffered: 0, written: 120, dropped: 0 });
    const stored = await recentLines();
    expect(stored).toHaveLength(120);
    expect(stored.find((line) => line.requestId === "req-7")).toMatchObject({ repository: "acme/api", message: "step 7 signed with [Redacted]" });
    expect(JSON.stringify(stored)).not.toContain(secret);

    // Logged just before the stop, with no flush: stop() sends them.
    for (let index = 0; index < 30; index++) log.info(`last words ${index}`);
    await thread.stop();
    expect(thread.status()).toEqual({ ok: true, buffered: 0, written: 150, dropped: 0 });
    expect((await recentLines()).filter((line) => line.message.startsWith("last words"))).toHaveLength(30);
  });

  it("drops and counts the lines beyond its buffer while Cassandra does not answer, and the main thread sees the count", async () => {
    const proxy = new TcpProxy("127.0.0.1", Number(process.env.CASSANDRA_PORT ?? 9042));
    const port = await proxy.start();
    await proxy.cut();
    thread = new LogStoreThread({ cassandra: { ...settings, contactPoints: [`127.0.0.1:${port}`] }, maxBufferedLines: 50, stopTimeoutMs: 1_000 });
    const log = createLogger({ level: "info", secrets: [], destination: thread });
    for (let index = 0; index < 300; index++) log.info(`unsent ${index}`);
    await thread.flush();
    // Every line is either held (as many as the buffer takes) or counted as dropped; none was written.
    const status = await waitFor(async () => {
      const current = thread!.status();
      return current.error !== undefined ? current : undefined;
    }, 20_000, "the failed write reported");
    expect(status).toMatchObject({ ok: false, buffered: 50, written: 0, dropped: 250 });
  });
});

describe("a log thread that stopped", () => {
  it("counts the lines written after it stopped as dropped and says why", async () => {
    // A keyspace name the store refuses makes the thread fail as it starts.
    thread = new LogStoreThread({ cassandra: { ...settings, keyspace: "not-a-keyspace" }, maxBufferedLines: 50, stopTimeoutMs: 1_000 });
    const log = createLogger({ level: "info", secrets: [], destination: thread });
    await waitFor(async () => thread!.status().error !== undefined, 20_000, "the thread's failure reported");
    for (let index = 0; index < 7; index++) log.info(`after the end ${index}`);
    expect(thread.status()).toMatchObject({ ok: false, dropped: 7, error: expect.stringMatching(/^the log store's thread stopped: .*not-a-keyspace/) });
  });
});

describe("a service whose log thread cannot reach Cassandra", () => {
  const proxy = new TcpProxy("127.0.0.1", Number(process.env.CASSANDRA_PORT ?? 9042));
  let service: RunningService;

  beforeAll(async () => {
    await truncateAllTables();
    const port = await proxy.start();
    await proxy.cut();
    service = await startTestService({ storeLogs: true, env: { CASSANDRA_CONTACT_POINTS: `127.0.0.1:${port}`, CASSANDRA_KEYSPACE: keyspace, IACT_LOG_BUFFER_LINES: "20" } });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await proxy.cut();
  });

  it("shows the thread's dropped lines in /ready and in the health snapshot, and stays ready", async () => {
    const token = await tokenFor(service.prisma, "read", "probe");
    for (let index = 0; index < 40; index++) expect((await call(service.url, "GET", "/api/dora/metrics", { token })).status).toBe(200);
    const ready = await waitFor(async () => {
      const answer = await call(service.url, "GET", "/ready");
      const logStore = (answer.body as { dependencies: { log_store: { dropped: number; warning?: string } } }).dependencies.log_store;
      // The buffer can overflow before the thread's first send has failed (the driver still connecting): wait for both.
      return logStore.dropped > 0 && logStore.warning !== undefined ? answer : undefined;
    }, 30_000, "dropped lines and the warning in /ready");
    expect(ready.status).toBe(200);
    expect((ready.body as { dependencies: { log_store: unknown } }).dependencies.log_store).toMatchObject({ ok: true, store: "cassandra", buffered: 20, written: 0, warning: expect.any(String) });

    await service.scheduler.runNow(HEALTH_SNAPSHOT_JOB);
    const snapshot = await service.prisma.healthSnapshot.findFirstOrThrow({ orderBy: { takenAt: "desc" } });
    expect((snapshot.components as { log_store: { dropped: number; store: string } }).log_store).toMatchObject({ store: "cassandra", dropped: expect.any(Number) });
    expect((snapshot.components as { log_store: { dropped: number } }).log_store.dropped).toBeGreaterThan(0);
  }, 90_000);
});
