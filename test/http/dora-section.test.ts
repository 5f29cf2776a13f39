// The GitHub-derived `dora` section of GET /api/dora/metrics and the evidence
// behind each figure, on the real service reading the capture tables.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidenceResponseSchema, planMetricsResponseSchema } from "../../src/http/routes/dora-schemas.js";
import type { RunningService } from "../../src/service.js";
import { truncateAllTables } from "../support/database.js";
import { startTestService } from "../support/service.js";
import { call, tokenFor } from "./api-client.js";
import { writeFixture } from "./dora-fixture.js";
import type { Fixture } from "./dora-fixture.js";

describe("GET /api/dora/metrics: the dora section", () => {
  let service: RunningService;
  let token: string;
  let fixture: Fixture;

  beforeAll(async () => {
    await truncateAllTables();
    service = await startTestService();
    token = await tokenFor(service.prisma, "read");
    fixture = await writeFixture(service.prisma, new Date());
  });
  afterAll(async () => {
    await service.stop();
  });

  const get = async (query: string) => {
    const answer = await call(service.url, "GET", `/api/dora/metrics${query}`, { token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return planMetricsResponseSchema.parse(answer.body);
  };

  it("measures the production environments together, exactly, with mttr_hours from the incidents", async () => {
    const body = await get("?days=30");
    const { dora } = body;
    expect(dora.method).toBe("exact");
    expect(dora.scope).toEqual({ repo: null, installation: null, environment: null });
    expect(dora.deployment_frequency).toMatchObject({ deployments: 4, deploy_days: 4 });
    expect(dora.lead_time_hours.median).toBeCloseTo(10, 6);
    expect(dora.lead_time_hours.p90).toBeCloseTo(26, 6);
    expect(dora.lead_time_hours.count).toBe(5);
    expect(dora.change_failure_rate).toBe(0.25);
    expect(dora.failed_deployments).toBe(1);
    expect(dora.failed_deployment_attempts).toBe(1);
    expect(dora.time_to_restore_hours).toMatchObject({ median: 3, count: 1, open: 0 });
    expect(body.metrics.mttr_hours).toBe(3);
    expect(dora.rework_rate).toBe(0);
    expect(dora.classification).toMatchObject({ benchmark_year: 2023, lead_time: "elite", change_failure_rate: "low", time_to_restore: "high" });
    expect(dora.targets.change_failure_rate).toEqual({ target: 0.15, actual: 0.25, met: false });
    expect(Object.keys(dora.environments)).toEqual(["production", "staging"]);
    expect(dora.environments.staging!.deployment_frequency.deployments).toBe(1);
    expect(dora.environments.staging!.lead_time_hours.median).toBeCloseTo(2, 6);
    expect(dora.environments.production!.deployment_frequency.deployments).toBe(4);
  });

  it("filters by repo", async () => {
    const { dora } = await get("?days=30&repo=acme/web");
    expect(dora.scope.repo).toBe("acme/web");
    expect(dora.deployment_frequency.deployments).toBe(3);
    expect(dora.lead_time_hours.median).toBeCloseTo(15, 6);
    expect(dora.lead_time_hours.p90).toBeCloseTo(27, 6);
    expect(dora.change_failure_rate).toBeCloseTo(1 / 3, 12);
    expect((await get("?days=30&repo=acme/api")).dora.change_failure_rate).toBe(0);
    expect((await get("?days=30&repo=acme/none")).dora.deployment_frequency.deployments).toBe(0);
  });

  it("measures one environment alone with `environment` (case-insensitive)", async () => {
    for (const name of ["staging", "STAGING"]) {
      const { dora, metrics } = await get(`?days=30&environment=${name}`);
      expect(dora.scope.environment).toBe("staging");
      expect(dora.deployment_frequency.deployments).toBe(1);
      expect(dora.change_failure_rate).toBe(0);
      expect(Object.keys(dora.environments)).toEqual(["staging"]);
      // The incident's home is production (its deployment's environment): not staging's.
      expect(dora.time_to_restore_hours.count).toBe(0);
      expect(metrics.mttr_hours).toBeNull();
    }
  });

  it("narrows with days: only what happened in the last 4 days (the incident opened just before)", async () => {
    const { dora } = await get("?days=4");
    expect(dora.deployment_frequency.deployments).toBe(2); // d3, a1
    expect(dora.failed_deployment_attempts).toBe(1);
    expect(dora.time_to_restore_hours.count).toBe(0);
    expect(dora.window.days).toBe(4);
  });

  describe("GET /api/dora/evidence", () => {
    const evidence = async (query: string) => {
      const answer = await call(service.url, "GET", `/api/dora/evidence${query}`, { token });
      // Every 200 answer has the documented shape.
      if (answer.status === 200) evidenceResponseSchema.parse(answer.body);
      return answer;
    };

    it("lists the deployments counted by deployment_frequency", async () => {
      const answer = await evidence("?figure=deployment_frequency&days=30");
      expect(answer.status).toBe(200);
      const body = answer.body as { value: { deployments: number }; deployments: Array<{ id: string; environment: string }>; changes: unknown[]; incidents: unknown[] };
      expect(body.value.deployments).toBe(4);
      expect(body.deployments.map((deployment) => deployment.id).sort()).toEqual([fixture.d1, fixture.d2, fixture.d3, fixture.a1].sort());
      expect(body.changes).toEqual([]);
    });

    it("lists the changes behind lead_time with their lead time, and their deployments", async () => {
      const body = (await evidence("?figure=lead_time&days=30&repo=acme/web")).body as {
        value: { median: number };
        deployments: Array<{ id: string }>;
        changes: Array<{ deployment_id: string; lead_time_hours: number; sha: string; authored_at: string }>;
      };
      expect(body.value.median).toBeCloseTo(15, 6);
      expect(body.changes.map((change) => Math.round(change.lead_time_hours)).sort((a, b) => a - b)).toEqual([4, 10, 20, 30]);
      expect(new Set(body.changes.map((change) => change.deployment_id))).toEqual(new Set([fixture.d1, fixture.d2, fixture.d3]));
      expect(body.deployments.map((deployment) => deployment.id).sort()).toEqual([fixture.d1, fixture.d2, fixture.d3].sort());
    });

    it("marks the failed deployments behind change_failure_rate and lists the incidents that failed them", async () => {
      const body = (await evidence("?figure=change_failure_rate&days=30")).body as {
        value: number;
        deployments: Array<{ id: string; failed: boolean; reasons?: string[] }>;
        incidents: Array<{ id: string; attributed_to: string | null; how: string | null; restore_hours: number | null }>;
      };
      expect(body.value).toBe(0.25);
      expect(body.deployments).toHaveLength(4);
      expect(body.deployments.filter((deployment) => deployment.failed)).toEqual([expect.objectContaining({ id: fixture.d2, reasons: ["incident"] })]);
      expect(body.incidents).toEqual([expect.objectContaining({ id: fixture.incident, attributed_to: fixture.d2, how: "window", restore_hours: 3 })]);
    });

    it("lists the incidents behind time_to_restore", async () => {
      const body = (await evidence("?figure=time_to_restore&days=30")).body as { value: { median: number }; incidents: Array<{ id: string; title: string; restore_hours: number }> };
      expect(body.value.median).toBe(3);
      expect(body.incidents).toEqual([expect.objectContaining({ id: fixture.incident, title: "Checkout down", restore_hours: 3 })]);
    });

    it("marks the rework deployments behind rework_rate (none here: no hotfix, revert, rollback or deploy during an incident)", async () => {
      const body = (await evidence("?figure=rework_rate&days=30")).body as { value: number; deployments: Array<{ id: string; rework: boolean }> };
      expect(body.value).toBe(0);
      expect(body.deployments).toHaveLength(4);
      expect(body.deployments.every((deployment) => deployment.rework === false)).toBe(true);
    });

    it("lists the failed deployments behind failed_deployment_recovery with their recovery hours", async () => {
      const body = (await evidence("?figure=failed_deployment_recovery&days=30")).body as {
        value: { median: number; count: number };
        deployments: Array<{ id: string; recovery_hours: number; recovered_by: string }>;
        incidents: Array<{ id: string }>;
      };
      // d2 failed at now-5d; its incident closed at now-4d+3h: 27 h later, before the next deployment (now-2d).
      expect(body.value).toEqual({ median: 27, count: 1 });
      expect(body.deployments).toEqual([expect.objectContaining({ id: fixture.d2, recovery_hours: 27, recovered_by: "incident_closed" })]);
      expect(body.incidents.map((incident) => incident.id)).toEqual([fixture.incident]);
    });

    it("lists the attempts behind failed_deployment_attempts, by scope", async () => {
      const body = (await evidence("?figure=failed_deployment_attempts&days=30")).body as { value: number; attempts: Array<{ id: string; environment: string }> };
      expect(body.value).toBe(1);
      expect(body.attempts).toEqual([expect.objectContaining({ id: fixture.attempt, environment: "production" })]);
      const staging = (await evidence("?figure=failed_deployment_attempts&days=30&environment=staging")).body as { value: number; attempts: unknown[] };
      expect(staging).toMatchObject({ value: 0, attempts: [] });
    });

    it.each([
      ["", "figure", /one of/],
      ["?figure=mttr", "figure", /deployment_frequency, lead_time, change_failure_rate, time_to_restore, rework_rate/],
      ["?figure=lead_time&days=0", "days", /at least 1/],
    ])("refuses %s with 400 naming the field", async (query, field, message) => {
      const answer = await evidence(query);
      expect(answer.status).toBe(400);
      expect((answer.body as { details: unknown }).details).toEqual([{ field, message: expect.stringMatching(message) }]);
    });
  });
});
