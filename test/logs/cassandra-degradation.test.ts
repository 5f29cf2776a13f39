// The service logging into Cassandra through a TCP proxy that the test cuts:
// while Cassandra is unreachable (from the start, or later) webhooks are
// still accepted and processed and the API answers; the lines beyond the
// buffer are dropped and counted in /ready; when Cassandra answers again the
// store catches up by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { call, tokenFor } from "../http/api-client.js";
import { truncateAllTables } from "../support/database.js";
import { deliverQueued, deliveryHandled, startTestService, waitFor } from "../support/service.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { exampleFor } from "../support/webhook-examples.js";

interface LogStoreStatus {
  ok: boolean;
  store: string;
  buffered: number;
  written: number;
  dropped: number;
  error?: string;
}

const BUFFER_LINES = 40;

describe("the Cassandra log store when Cassandra stops answering", () => {
  const proxy = new TcpProxy("127.0.0.1", Number(process.env.CASSANDRA_PORT ?? 9042));
  let service: RunningService;

  beforeAll(async () => {
    await truncateAllTables();
    const port = await proxy.start();
    service = await startTestService({
      storeLogs: true,
      env: { CASSANDRA_CONTACT_POINTS: `127.0.0.1:${port}`, CASSANDRA_KEYSPACE: "iact_test_degradation", IACT_LOG_BUFFER_LINES: String(BUFFER_LINES) },
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await proxy.cut();
  });

  async function logStore(): Promise<LogStoreStatus> {
    const ready = await call(service.url, "GET", "/ready");
    return (ready.body as { dependencies: { log_store: LogStoreStatus } }).dependencies.log_store;
  }

  it("keeps serving, counts the dropped lines, and catches up once Cassandra is back", async () => {
    const token = await tokenFor(service.prisma, "read", "probe");
    expect((await call(service.url, "GET", "/api/dora/metrics", { token })).status).toBe(200);
    await waitFor(async () => (await service.logShipper.flush(), (await logStore()).written > 0), 30_000, "lines written to Cassandra");
    // With a 40-line buffer, lines logged at start while the worker thread still connects may
    // already be dropped on a slow machine: the outage is measured from this count on.
    const before = await logStore();
    expect(before).toMatchObject({ ok: true, store: "cassandra" });

    await proxy.cut();
    const deliveryId = await deliverQueued(service, "push", exampleFor("push"));
    expect((await deliveryHandled(service, deliveryId, { final: true })).status).toBe("done");
    for (let index = 0; index < BUFFER_LINES * 2; index++) {
      expect((await call(service.url, "GET", "/api/dora/metrics", { token })).status).toBe(200);
    }
    const cut = await waitFor(async () => {
      const status = await logStore();
      return status.dropped > before.dropped && status.error !== undefined ? status : undefined;
    }, 30_000, "dropped lines counted");
    // A warning, not a failure: the service is ready, only log lines are lost.
    expect(cut).toMatchObject({ ok: true, store: "cassandra", buffered: BUFFER_LINES, error: expect.stringContaining("host") });
    const ready = await call(service.url, "GET", "/ready");
    expect(ready.status).toBe(200);

    await proxy.start();
    const writtenBefore = cut.written;
    await waitFor(async () => {
      const status = await logStore();
      return status.error === undefined && status.written > writtenBefore && status.buffered === 0;
    }, 60_000, "the store to catch up by itself");
    // The lines kept in the buffer during the outage are readable through the query API, from Cassandra.
    const answered = await call(service.url, "GET", "/api/data/query?type=logs&q=api%20request%20answered&limit=1000", { token });
    expect((answered.body as { data: Array<{ actor: string }> }).data.length).toBeGreaterThan(BUFFER_LINES);
    expect((answered.body as { data: Array<{ actor: string }> }).data.every((line) => line.actor === "token:probe")).toBe(true);
  }, 180_000);
});

describe("the Cassandra log store when Cassandra is down at start", () => {
  const proxy = new TcpProxy("127.0.0.1", Number(process.env.CASSANDRA_PORT ?? 9042));
  let service: RunningService;

  afterAll(async () => {
    await service?.stop();
    await proxy.cut();
  });

  it("starts and serves without it, then creates its table and writes once Cassandra answers", async () => {
    await truncateAllTables();
    const port = await proxy.start();
    await proxy.cut();
    service = await startTestService({ storeLogs: true, env: { CASSANDRA_CONTACT_POINTS: `127.0.0.1:${port}`, CASSANDRA_KEYSPACE: "iact_test_down_at_start" } });
    const deliveryId = await deliverQueued(service, "push", exampleFor("push"));
    expect((await deliveryHandled(service, deliveryId, { final: true })).status).toBe("done");
    expect((await call(service.url, "GET", "/ready")).status).toBe(200);
    await proxy.start(port);
    await waitFor(async () => {
      const ready = await call(service.url, "GET", "/ready");
      const status = (ready.body as { dependencies: { log_store: LogStoreStatus } }).dependencies.log_store;
      return status.written > 0 && status.error === undefined;
    }, 90_000, "lines written once Cassandra answers");
  }, 150_000);
});
