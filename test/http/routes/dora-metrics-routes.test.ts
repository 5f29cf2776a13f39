// POST and GET /api/dora/metrics: the plan's contract (TASK-005), on the real
// server and the real database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { computePlanMetrics, filterPlanRecords } from "../../../src/dora/index.js";
import { planMetricsResponseSchema } from "../../../src/http/routes/dora-schemas.js";
import type { RunningService } from "../../../src/service.js";
import { MAX_JSON_BODY_NESTING } from "../../../src/http/body.js";
import { MAX_JSON_COLUMN_NESTING, TeamMetrics } from "../../../src/store/team-metrics.js";
import { truncateAllTables } from "../../support/database.js";
import { startTestService } from "../../support/service.js";
import { call, metricRecord, tokenFor } from "../api-client.js";
import { MS_PER_DAY } from "../../../src/dora/index.js";

const MAX_BODY_BYTES = 4096;

describe("/api/dora/metrics", () => {
  let service: RunningService;
  let writeToken: string;
  let readToken: string;

  beforeAll(async () => {
    service = await startTestService({ env: { IACT_API_MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
  });
  afterAll(async () => {
    await service.stop();
  });
  beforeEach(async () => {
    await truncateAllTables();
    writeToken = await tokenFor(service.prisma, "write");
    readToken = await tokenFor(service.prisma, "read");
  });

  const post = (body: unknown, path = "/api/dora/metrics") => call(service.url, "POST", path, { token: writeToken, body });
  const get = (query = "") => call(service.url, "GET", `/api/dora/metrics${query}`, { token: readToken });

  describe("POST", () => {
    it("stores a record and answers 201 {id, cycle_id, created_at}", async () => {
      const before = Date.now();
      const answer = await post(metricRecord());
      expect(answer.status).toBe(201);
      const body = answer.body as { id: number; cycle_id: string; created_at: string };
      expect(Object.keys(body).sort()).toEqual(["created_at", "cycle_id", "id"]);
      expect(body.cycle_id).toBe("cycle-001");
      expect(typeof body.id).toBe("number");
      expect(Date.parse(body.created_at)).toBeGreaterThanOrEqual(before - 5);
      const row = await service.prisma.teamMetric.findUniqueOrThrow({ where: { cycleId: "cycle-001" } });
      expect(row).toMatchObject({ featureId: "FEAT-42", phaseName: "deployment", decision: "go", metadata: { pipeline: "ci", attempt: 1 } });
      expect(row.durationSeconds.toString()).toBe("5400.5");
    });

    it("accepts the plan's URL /api/dora/metrics/create/ too", async () => {
      const answer = await post(metricRecord({ cycle_id: "from-plan-url" }), "/api/dora/metrics/create/");
      expect(answer.status).toBe(201);
      expect((answer.body as { cycle_id: string }).cycle_id).toBe("from-plan-url");
    });

    it("keeps a given created_at (imports) and defaults metadata to {}", async () => {
      const { metadata: _metadata, ...withoutMetadata } = metricRecord();
      const answer = await post({ ...withoutMetadata, created_at: "2026-11-01T08:30:00+02:00" });
      expect(answer.status).toBe(201);
      expect((answer.body as { created_at: string }).created_at).toBe("2026-11-01T06:30:00.000Z");
      const row = await service.prisma.teamMetric.findUniqueOrThrow({ where: { cycleId: "cycle-001" } });
      expect(row.metadata).toEqual({});
    });

    it.each([
      ["duration with two decimals", { duration_seconds: 12.34 }],
      ["duration zero", { duration_seconds: 0 }],
      ["the largest DECIMAL(10,2)", { duration_seconds: 99999999.99 }],
      ["a bare date", { created_at: "2026-11-02" }],
      ["every phase: planning", { phase_name: "planning", decision: "review" }],
      ["maintenance, blocked", { phase_name: "maintenance", decision: "blocked" }],
      ["testing, no-go", { phase_name: "testing", decision: "no-go" }],
    ])("accepts %s", async (_label, overrides) => {
      expect((await post(metricRecord(overrides))).status).toBe(201);
    });

    it.each([
      ["a missing cycle_id", { cycle_id: undefined }, "cycle_id", /required/],
      ["an empty feature_id", { feature_id: "" }, "feature_id", /empty/],
      ["a cycle_id over 50 characters", { cycle_id: "c".repeat(51) }, "cycle_id", /50/],
      ["an unknown phase", { phase_name: "coding" }, "phase_name", /planning, testing, deployment, maintenance/],
      ["an unknown decision", { decision: "maybe" }, "decision", /go, no-go, review, blocked/],
      ["a negative duration", { duration_seconds: -1 }, "duration_seconds", />= 0/],
      ["three decimals", { duration_seconds: 12.345 }, "duration_seconds", /two decimals/],
      ["a duration as text", { duration_seconds: "12" }, "duration_seconds", /number/],
      ["a duration too large for DECIMAL(10,2)", { duration_seconds: 100000000 }, "duration_seconds", /<=/],
      ["metadata that is an array", { metadata: [1, 2] }, "metadata", /object/],
      ["metadata that is null", { metadata: null }, "metadata", /object/],
      ["a created_at without time zone", { created_at: "2026-11-01T08:30:00" }, "created_at", /ISO 8601/],
      ["a created_at that is not a date", { created_at: "yesterday" }, "created_at", /ISO 8601/],
      ["a created_at in year 0, which the column would store as 2000", { created_at: "0000-01-01T00:00:00Z" }, "created_at", /1000-01-01 and 9999-12-31/],
      ["a created_at past 9999 once in UTC", { created_at: "9999-12-31T23:00:00-05:00" }, "created_at", /1000-01-01 and 9999-12-31/],
      ["an unknown field", { cycleid: "x" }, "cycleid", /not a known field/],
    ])("refuses %s with 400 naming the field", async (_label, overrides, field, message) => {
      const answer = await post(JSON.parse(JSON.stringify(metricRecord(overrides))));
      expect(answer.status).toBe(400);
      const body = answer.body as { error: string; details: Array<{ field: string; message: string }> };
      expect(body.details).toEqual([{ field, message: expect.stringMatching(message) }]);
      expect(await service.prisma.teamMetric.count()).toBe(0);
    });

    it("names every bad field at once", async () => {
      const answer = await post({ cycle_id: "", phase_name: "x", decision: "go", duration_seconds: -0.001, extra: 1 });
      expect(answer.status).toBe(400);
      const fields = (answer.body as { details: Array<{ field: string }> }).details.map((detail) => detail.field).sort();
      expect(fields).toEqual(["cycle_id", "duration_seconds", "duration_seconds", "extra", "feature_id", "phase_name"]);
      expect((answer.body as { error: string }).error).toMatch(/5 fields are wrong/);
    });

    it.each([
      ["not JSON", "{cycle_id:", /not valid JSON/],
      ["an empty body", "", /empty/],
    ])("refuses a body that is %s with 400", async (_label, raw, message) => {
      const answer = await post(raw);
      expect(answer.status).toBe(400);
      expect((answer.body as { error: string }).error).toMatch(message);
    });

    it.each([["an array", [metricRecord()]], ["a string", "\"text\""]])("refuses %s as the body", async (_label, body) => {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect((answer.body as { details: Array<{ field: string }> }).details[0]?.field).toBe("(body)");
    });

    it("answers 409 naming the cycle_id on a duplicate, case-insensitively like the column", async () => {
      expect((await post(metricRecord({ cycle_id: "Cycle-7" }))).status).toBe(201);
      for (const cycleId of ["Cycle-7", "cycle-7"]) {
        const answer = await post(metricRecord({ cycle_id: cycleId, feature_id: "OTHER" }));
        expect(answer.status).toBe(409);
        expect((answer.body as { error: string }).error).toContain(`"${cycleId}"`);
        expect((answer.body as { details: unknown }).details).toEqual([{ field: "cycle_id", message: `"${cycleId}" already exists` }]);
      }
      expect(await service.prisma.teamMetric.count()).toBe(1);
    });

    /** `{ "level": { "level": ... 1 } }`: an object holding `levels` objects inside each other, itself included. */
    const nestedObjects = (levels: number): Record<string, unknown> => {
      let value: Record<string, unknown> = { leaf: 1 };
      for (let level = 1; level < levels; level++) value = { level: value };
      return value;
    };

    it(`stores metadata nested ${MAX_JSON_COLUMN_NESTING} levels deep, as deep as the JSON column holds, and reads it back`, async () => {
      const metadata = nestedObjects(MAX_JSON_COLUMN_NESTING);
      expect((await post(metricRecord({ metadata }))).status).toBe(201);
      expect((await service.prisma.teamMetric.findFirstOrThrow()).metadata).toEqual(metadata);
    });

    it.each([MAX_JSON_COLUMN_NESTING + 1, 40, MAX_JSON_BODY_NESTING - 1])("refuses metadata nested %i levels deep with 400 naming the limit, before the database sees it", async (levels) => {
      const answer = await post(metricRecord({ metadata: nestedObjects(levels) }));
      expect(answer.status).toBe(400);
      expect((answer.body as { details: unknown }).details).toEqual([{ field: "metadata", message: expect.stringContaining(`at most ${MAX_JSON_COLUMN_NESTING} levels`) }]);
      expect(await service.prisma.teamMetric.count()).toBe(0);
    });

    it("refuses a body nested past the API's limit with 400 naming the limit, however deep", async () => {
      for (const levels of [MAX_JSON_BODY_NESTING + 1, 2_000]) {
        const answer = await post(`{"metadata":${"[".repeat(levels)}${"]".repeat(levels)}}`);
        expect(answer.status).toBe(400);
        expect((answer.body as { error: string }).error).toBe(`Request body nests objects and arrays ${levels + 1} levels deep; the limit is ${MAX_JSON_BODY_NESTING}`);
      }
      expect(await service.prisma.teamMetric.count()).toBe(0);
    });

    it("refuses a __proto__ key anywhere in the body with 400 naming it, instead of dropping it", async () => {
      const record = JSON.stringify(metricRecord()).slice(0, -1);
      for (const [body, field] of [
        [`${record.replace('"metadata":{', '"metadata":{"__proto__":{"admin":true},')}}`, "metadata.__proto__"],
        [`${record.replace('"metadata":{', '"metadata":{"list":[{"__proto__":1}],')}}`, "metadata.list.0.__proto__"],
      ] as const) {
        const answer = await post(body);
        expect(answer.status).toBe(400);
        expect((answer.body as { details: unknown }).details).toEqual([{ field, message: "__proto__ is not accepted as a key" }]);
      }
      expect(await service.prisma.teamMetric.count()).toBe(0);
    });

    it("answers 413 for a body over IACT_API_MAX_BODY_BYTES and stores nothing", async () => {
      const answer = await post(metricRecord({ metadata: { padding: "x".repeat(MAX_BODY_BYTES) } }));
      expect(answer.status).toBe(413);
      expect((answer.body as { error: string }).error).toMatch(/limit of|limit is/);
      expect(await service.prisma.teamMetric.count()).toBe(0);
    });
  });

  describe("GET", () => {
    const now = Date.now();
    const daysAgo = (days: number) => new Date(now - days * MS_PER_DAY).toISOString();

    async function seed(records: Array<Record<string, unknown>>): Promise<void> {
      for (const record of records) expect((await post(metricRecord(record))).status).toBe(201);
    }

    it("returns the plan's shape and numbers computed as the plan's view does", async () => {
      await seed([
        { cycle_id: "c1", phase_name: "deployment", duration_seconds: 3600, created_at: daysAgo(1) },
        { cycle_id: "c2", phase_name: "deployment", duration_seconds: 7200.01, created_at: daysAgo(2) },
        { cycle_id: "c3", phase_name: "deployment", duration_seconds: 1800, created_at: daysAgo(3) },
        { cycle_id: "t1", phase_name: "testing", decision: "no-go", duration_seconds: 60, created_at: daysAgo(1) },
        { cycle_id: "t2", phase_name: "testing", decision: "go", duration_seconds: 60, created_at: daysAgo(1) },
        { cycle_id: "t3", phase_name: "testing", decision: "go", duration_seconds: 60, created_at: daysAgo(1) },
        { cycle_id: "p1", phase_name: "planning", decision: "review", duration_seconds: 10, created_at: daysAgo(5) },
        // Outside 30 days, inside 60.
        { cycle_id: "old-d", phase_name: "deployment", duration_seconds: 36000, created_at: daysAgo(45) },
        { cycle_id: "old-t", phase_name: "testing", decision: "no-go", duration_seconds: 1, created_at: daysAgo(45) },
      ]);
      const answer = await get("?days=30");
      expect(answer.status).toBe(200);
      const body = planMetricsResponseSchema.parse(answer.body);
      expect(body.period_days).toBe(30);
      // (3600 + 7200.01 + 1800) / 3 = 4200.003333.. -> AVG keeps 6 decimals: 4200.003333 s
      expect(body.metrics.lead_time_hours).toBe(4200003333 / 3_600_000_000);
      expect(body.metrics.deployment_frequency).toBe(3);
      expect(body.metrics.change_failure_rate).toBe((1 / 3) * 100);
      expect(body.metrics.mttr_hours).toBeNull();
      expect(body.total_cycles).toBe(7);

      const wider = planMetricsResponseSchema.parse((await get("?days=60")).body);
      expect(wider.metrics.deployment_frequency).toBe(4);
      expect(wider.metrics.change_failure_rate).toBe(50);
      expect(wider.total_cycles).toBe(9);

      // The same rule in the pure core gives the same numbers.
      const records = await new TeamMetrics(service.prisma).list();
      const { lead_time_hours, deployment_frequency, change_failure_rate, total_cycles } = computePlanMetrics(filterPlanRecords(records, new Date(), 30));
      expect({ lead_time_hours, deployment_frequency, change_failure_rate, total_cycles }).toEqual({
        lead_time_hours: body.metrics.lead_time_hours,
        deployment_frequency: body.metrics.deployment_frequency,
        change_failure_rate: body.metrics.change_failure_rate,
        total_cycles: body.total_cycles,
      });
    });

    it("answers zeros, not errors, for a period without records (the plan's `or 0`)", async () => {
      const body = planMetricsResponseSchema.parse((await get()).body);
      expect(body).toMatchObject({ period_days: 30, metrics: { lead_time_hours: 0, deployment_frequency: 0, change_failure_rate: 0, mttr_hours: null }, total_cycles: 0 });
      expect(body.dora.deployment_frequency.deployments).toBe(0);
      expect(body.dora.change_failure_rate).toBeNull();
      expect(body.dora.environments).toEqual({});
      expect(body.dora.scope).toEqual({ repo: null, installation: null, environment: null });
    });

    it.each([
      ["0", /at least 1/],
      ["3651", /at most 3650/],
      ["1.5", /whole number/],
      ["abc", /whole number/],
      ["", /whole number|at least 1/],
    ])("refuses days=%s with 400 naming `days`", async (days, message) => {
      const answer = await get(`?days=${days}`);
      expect(answer.status).toBe(400);
      expect((answer.body as { details: unknown }).details).toEqual([{ field: "days", message: expect.stringMatching(message) }]);
    });

    it("refuses a repo that is not owner/name and an unknown parameter", async () => {
      const answer = await get("?repo=nope&dayz=3");
      expect(answer.status).toBe(400);
      expect((answer.body as { details: Array<{ field: string }> }).details.map((detail) => detail.field).sort()).toEqual(["dayz", "repo"]);
    });

    it("accepts days at both limits and echoes the filters", async () => {
      expect(planMetricsResponseSchema.parse((await get("?days=1")).body).period_days).toBe(1);
      const body = planMetricsResponseSchema.parse((await get("?days=3650&repo=acme/web&environment=staging")).body);
      expect(body.period_days).toBe(3650);
      expect(body.dora.scope).toEqual({ repo: "acme/web", installation: null, environment: "staging" });
    });
  });
});
