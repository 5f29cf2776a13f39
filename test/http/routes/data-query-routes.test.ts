// GET /api/data/query on the real service, logging as in production into
// MySQL's log store: every API answer names its request id, the lines of a
// call carry it and the token's actor, and the query reads them back; metrics
// and health page newest first by a signed cursor; every bad parameter is a
// 400 naming it.
import { describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { writeHealthSnapshot } from "../../../src/store/health-snapshots.js";
import { TeamMetrics, teamMetricInputSchema } from "../../../src/store/team-metrics.js";
import { serviceForAllTests, waitFor } from "../../support/service.js";
import { call, metricRecord, tokenFor } from "../api-client.js";

interface QueryPage {
  query_type: string;
  days: number;
  count: number;
  data: Array<Record<string, unknown>>;
  next_cursor: string | null;
  dora?: Record<string, unknown>;
}

async function allPages(service: RunningService, token: string, query: string): Promise<QueryPage[]> {
  const pages: QueryPage[] = [];
  let cursor: string | null = "";
  while (cursor !== null) {
    const answer = await call(service.url, "GET", `/api/data/query?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token });
    expect(answer.status).toBe(200);
    const page = answer.body as QueryPage;
    pages.push(page);
    cursor = page.next_cursor;
  }
  return pages;
}

describe("GET /api/data/query", () => {
  let service: RunningService;
  serviceForAllTests((started) => (service = started), { storeLogs: true });

  it("answers every API call with its request id: the caller's when well-formed, a new one otherwise", async () => {
    const kept = await fetch(`${service.url}/health`, { headers: { "x-request-id": "deploy-7f3a" } });
    expect(kept.headers.get("x-request-id")).toBe("deploy-7f3a");
    const replaced = await fetch(`${service.url}/health`, { headers: { "x-request-id": "bad id; DROP TABLE" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await fetch(`${service.url}/api/nowhere`);
    expect(generated.status).toBe(404);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("stores the lines of an API call with its request id and actor, and reads them back filtered, newest first", async () => {
    const reader = await tokenFor(service.prisma, "read", "dashboard");
    const metricsCall = await fetch(`${service.url}/api/dora/metrics?days=7`, { headers: { authorization: `Bearer ${reader}`, "x-request-id": "trace-0042" } });
    expect(metricsCall.status).toBe(200);
    const lines = await waitFor(async () => {
      await service.logShipper.flush();
      const answer = await call(service.url, "GET", "/api/data/query?type=logs&request_id=trace-0042", { token: reader });
      return (answer.body as QueryPage).count > 0 ? (answer.body as QueryPage) : undefined;
    });
    expect(lines).toMatchObject({ query_type: "logs", days: 1, next_cursor: null });
    expect(lines.data[0]).toMatchObject({ level: "info", message: "api request answered", request_id: "trace-0042", actor: "token:dashboard", fields: { route: "/api/dora/metrics", status: 200 } });
    const searched = await call(service.url, "GET", "/api/data/query?type=logs&q=request%20answered&level=info&limit=1000", { token: reader });
    expect((searched.body as QueryPage).data.every((line) => String(line.message).includes("request answered"))).toBe(true);
    const errorsOnly = await call(service.url, "GET", "/api/data/query?type=logs&request_id=trace-0042&level=error", { token: reader });
    expect((errorsOnly.body as QueryPage).count).toBe(0);
  });

  it("pages the team's records newest first with the window's DORA figures on the first page", async () => {
    const teamMetrics = new TeamMetrics(service.prisma);
    const now = Date.now();
    for (let index = 0; index < 5; index++) {
      await teamMetrics.create(teamMetricInputSchema.parse(metricRecord({ cycle_id: `C-${index}`, created_at: new Date(now - (index + 1) * 3_600_000).toISOString() })));
    }
    await teamMetrics.create(teamMetricInputSchema.parse(metricRecord({ cycle_id: "C-old", created_at: new Date(now - 3 * 86_400_000).toISOString() })));
    const token = await tokenFor(service.prisma, "read");
    const pages = await allPages(service, token, "type=metrics&days=2&limit=2");
    expect(pages.map((page) => page.count)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.data.map((record) => record.cycle_id))).toEqual(["C-0", "C-1", "C-2", "C-3", "C-4"]);
    expect(pages[0]!.dora).toMatchObject({ scope: { repo: null, installation: null, environment: null }, deployment_frequency: expect.anything() });
    expect(pages[1]).not.toHaveProperty("dora");
  });

  it("pages the stored health snapshots newest first", async () => {
    const now = Date.now();
    for (let index = 0; index < 3; index++) {
      await writeHealthSnapshot(service.prisma, { takenAt: new Date(now - index * 300_000), instance: "replica-a", ok: index !== 1, components: { mysql: { ok: true } } });
    }
    const token = await tokenFor(service.prisma, "read");
    const pages = await allPages(service, token, "type=health&limit=2");
    expect(pages.flatMap((page) => page.data.map((snapshot) => snapshot.ok))).toEqual([true, false, true]);
  });

  it("refuses a cursor that was changed or belongs to another query", async () => {
    const teamMetrics = new TeamMetrics(service.prisma);
    for (let index = 0; index < 3; index++) await teamMetrics.create(teamMetricInputSchema.parse(metricRecord({ cycle_id: `K-${index}` })));
    const token = await tokenFor(service.prisma, "read");
    const first = (await call(service.url, "GET", "/api/data/query?type=metrics&days=5&limit=1", { token })).body as QueryPage;
    const cursor = first.next_cursor!;
    const [body, signature] = cursor.split(".");
    const forged = `${Buffer.from(Buffer.from(body!, "base64url").toString().replace(/"i":"\d+"/, '"i":"999999"')).toString("base64url")}.${signature}`;
    for (const query of [`type=metrics&days=5&limit=1&cursor=${forged}`, `type=metrics&days=6&limit=1&cursor=${cursor}`, `type=health&days=5&cursor=${cursor}`]) {
      const answer = await call(service.url, "GET", `/api/data/query?${query}`, { token });
      expect(answer.status).toBe(400);
      expect((answer.body as { details: Array<{ field: string }> }).details.map((detail) => detail.field)).toEqual(["cursor"]);
    }
    const second = await call(service.url, "GET", `/api/data/query?type=metrics&days=5&limit=2&cursor=${cursor}`, { token });
    expect((second.body as QueryPage).data.map((record) => record.cycle_id)).toEqual(["K-1", "K-0"]);
  });

  it.each([
    ["", "type"],
    ["type=traces", "type"],
    ["type=logs&days=0", "days"],
    ["type=logs&days=366", "days"],
    ["type=logs&days=1.5", "days"],
    ["type=logs&days=ten", "days"],
    ["type=logs&limit=0", "limit"],
    ["type=logs&limit=1001", "limit"],
    ["type=logs&cursor=abc", "cursor"],
    ["type=logs&cursor=e30.AAAA", "cursor"],
    ["type=logs&level=loud", "level"],
    ["type=logs&request_id=a%20b", "request_id"],
    ["type=logs&repository=not-a-repo", "repository"],
    ["type=logs&installation=-3", "installation"],
    ["type=logs&q=", "q"],
    [`type=logs&q=${"x".repeat(201)}`, "q"],
    ["type=logs&repo=acme/api", "repo"],
    ["type=health&level=error", "level"],
    ["type=metrics&q=boom", "q"],
    ["type=metrics&repo=acme", "repo"],
    ["type=metrics&environment=", "environment"],
    ["type=metrics&benchmark=2019", "benchmark"],
    ["type=logs&colour=red", "colour"],
  ])("refuses %s with a 400 naming %s", async (query, field) => {
    const answer = await call(service.url, "GET", `/api/data/query?${query}`, { token: await tokenFor(service.prisma, "read") });
    expect(answer.status).toBe(400);
    expect((answer.body as { details: Array<{ field: string }> }).details.map((detail) => detail.field)).toContain(field);
  });

  it("needs a read token and reports the log store's counts in /ready", async () => {
    expect((await call(service.url, "GET", "/api/data/query?type=logs")).status).toBe(401);
    const ready = await call(service.url, "GET", "/ready");
    expect((ready.body as { dependencies: Record<string, unknown> }).dependencies.log_store).toMatchObject({ ok: true, store: "mysql", dropped: 0, buffered: expect.any(Number), written: expect.any(Number) });
  });
});
