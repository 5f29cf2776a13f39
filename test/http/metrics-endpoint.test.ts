// Where and to whom /metrics is served: behind METRICS_TOKEN on the main
// port, on a port of its own with METRICS_PORT, and still answering (with
// NaN backlog gauges and a logged warning) while MySQL is unreachable.
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables } from "../support/database.js";
import { scrape } from "../support/prometheus.js";
import { serviceForEachTest, startTestService, waitFor } from "../support/service.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const TOKEN = "metrics-token-0123456789abcdef";

describe("/metrics behind METRICS_TOKEN", () => {
  let service: RunningService;
  serviceForEachTest(
    (started) => {
      service = started;
    },
    { env: { METRICS_TOKEN: TOKEN } },
  );

  it("refuses a missing, malformed or wrong token with 401 and serves the right one", async () => {
    for (const authorization of [undefined, TOKEN, `Basic ${TOKEN}`, "Bearer wrong-token-0123456789abcdef", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`]) {
      const response = await fetch(`${service.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.text()).toMatch(/METRICS_TOKEN/);
    }
    const metrics = await scrape(service.url, TOKEN);
    // The refused scrapes are counted like any other request, under the route's template.
    expect(metrics.count("iact_http_request_duration_seconds", { route: "/metrics", status: "401" })).toBe(6);
  });

  it("answers other methods with 405", async () => {
    const response = await fetch(`${service.url}/metrics`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("/metrics on METRICS_PORT", () => {
  let service: RunningService;
  serviceForEachTest(
    (started) => {
      service = started;
    },
    { env: { METRICS_PORT: "0" } },
  );

  it("is served on its own port only, and that port serves nothing else", async () => {
    expect(service.metricsUrl).not.toBe(service.url);
    const metrics = await scrape(service.metricsUrl);
    expect(metrics.family("iact_webhook_deliveries_total").type).toBe("COUNTER");

    const onMainPort = await fetch(`${service.url}/metrics`);
    expect(onMainPort.status).toBe(404);
    const elsewhere = await fetch(`${service.metricsUrl}/health`);
    expect(elsewhere.status).toBe(404);
    // The main port's /health still answers, and is counted in the metrics served on the other port.
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
    expect((await scrape(service.metricsUrl)).count("iact_http_request_duration_seconds", { route: "/health", status: "200" })).toBe(1);
  });
});

describe("/metrics while MySQL is unreachable", () => {
  let proxy: TcpProxy;
  let service: RunningService;
  const logLines: Array<{ level: number; msg: string }> = [];

  beforeEach(async () => {
    await truncateAllTables();
    logLines.length = 0;
    const settings = testDatabaseSettings();
    proxy = new TcpProxy(settings.host, settings.port);
    const port = await proxy.start();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logLines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    service = await startTestService({ env: { DATABASE_URL: TEST_DATABASE_URL.replace(`:${settings.port}/`, `:${port}/`) }, log: pino({ level: "warn" }, sink) });
  });

  afterEach(async () => {
    if (!proxy.running) await proxy.start(proxy.port);
    await service.stop();
    await proxy.cut();
  });

  it("still answers 200 with every other metric, the backlog gauges NaN and one warning; real values once MySQL is back", async () => {
    await proxy.cut();
    const during = await scrape(service.url);
    expect(during.value("iact_inbox_deliveries", { status: "pending" })).toBeNaN();
    expect(during.value("iact_inbox_deliveries", { status: "processing" })).toBeNaN();
    expect(during.value("iact_inbox_oldest_pending_age_seconds")).toBeNaN();
    expect(during.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    await scrape(service.url);
    const warnings = logLines.filter((line) => /cannot read the inbox backlog/.test(line.msg));
    expect(warnings).toHaveLength(1);

    await proxy.start(proxy.port);
    const after = await waitFor(async () => {
      const attempt = await scrape(service.url);
      return Number.isNaN(attempt.value("iact_inbox_deliveries", { status: "pending" })) ? undefined : attempt;
    }, 20_000, "the backlog to be readable again");
    expect(after.value("iact_inbox_deliveries", { status: "pending" })).toBe(0);
  });
});
