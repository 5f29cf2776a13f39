// `installation=` (the repositories of one installation, measured together)
// and `benchmark=` (the classification year of one answer) on GET
// /api/dora/metrics and /api/dora/evidence, on the real service.
//
// Installation 1 is dora-fixture.ts (acme/web, acme/api): production 4
// deployments, lead times 1, 4, 10, 20, 30 h (median 10), 1 failed of 4
// (CFR 0.25), time to restore 3 h.
// Installation 2, written below: widgets/app production
//   w1 now-3d  one change 100 h before
//   w2 now-1d  one change 200 h before
// -> 2 deployments, lead median 150 h, CFR 0, no incident.
//
// Classification of installation 1 (src/dora/classification.ts):
//   lead time 10 h: 2023 elite (< 24 h), 2021 high (>= 1 h, < 7 d)
//   CFR 0.25:       2023 low (> 15 %),   2021 medium (<= 30 %)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDoraConfig } from "../../src/config/dora-config.js";
import { ApiTokens } from "../../src/http/auth/api-tokens.js";
import { evidenceResponseSchema, planMetricsResponseSchema } from "../../src/http/routes/dora-schemas.js";
import { doraOptions } from "../../src/config/dora-config.js";
import type { RunningService } from "../../src/service.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { refreshDoraRollups } from "../../src/store/dora-rollups.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { truncateAllTables } from "../support/database.js";
import { startTestService } from "../support/service.js";
import { call, tokenFor } from "./api-client.js";
import { writeFixture } from "./dora-fixture.js";
import type { Fixture } from "./dora-fixture.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A successful widgets/app production deployment of installation 2, with one change. */
async function widgetsDeployment(prisma: PrismaClient, id: number, at: Date, leadHours: number): Promise<string> {
  const sourceKey = `deployment:${id}`;
  const row = await prisma.doraDeployment.create({
    data: {
      repo: "widgets/app",
      installationId: 2n,
      sourceKey,
      source: "deployment",
      environment: "production",
      sha: id.toString(16).padStart(40, "b"),
      ref: "main",
      createdAt: new Date(at.getTime() - 60_000),
      state: "success",
      stateAt: at,
      deployedAt: at,
    },
  });
  const authoredAt = new Date(at.getTime() - leadHours * HOUR);
  await prisma.doraChange.create({ data: { deploymentId: row.id, sha: id.toString(16).padStart(40, "d"), authoredAt, committedAt: authoredAt, message: "feat: widgets" } });
  return sourceKey;
}

interface ErrorBody {
  error: string;
  details?: Array<{ field: string; message: string }>;
}

describe("GET /api/dora/metrics and /api/dora/evidence: installation and benchmark", () => {
  let service: RunningService;
  let token: string;
  let fixture: Fixture;
  let widgets: string[];

  beforeAll(async () => {
    await truncateAllTables();
    service = await startTestService();
    token = await tokenFor(service.prisma, "read");
    const now = new Date();
    fixture = await writeFixture(service.prisma, now);
    widgets = [await widgetsDeployment(service.prisma, 9001, new Date(now.getTime() - 3 * DAY), 100), await widgetsDeployment(service.prisma, 9002, new Date(now.getTime() - DAY), 200)];
  });
  afterAll(async () => {
    await service.stop();
  });

  const metrics = async (query: string) => {
    const answer = await call(service.url, "GET", `/api/dora/metrics${query}`, { token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return planMetricsResponseSchema.parse(answer.body).dora;
  };
  const evidence = async (query: string) => {
    const answer = await call(service.url, "GET", `/api/dora/evidence${query}`, { token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return evidenceResponseSchema.parse(answer.body);
  };

  it("measures every installation together without installation", async () => {
    const dora = await metrics("?days=30");
    expect(dora.deployment_frequency.deployments).toBe(6);
    expect(dora.scope).toEqual({ repo: null, installation: null, environment: null });
  });

  it("measures only the repositories of installation 1, exactly, with the defaults", async () => {
    const dora = await metrics("?days=30&installation=1");
    expect(dora.scope).toEqual({ repo: null, installation: 1, environment: null });
    expect(dora.method).toBe("exact");
    expect(dora.settings.source).toBe("defaults");
    expect(dora.deployment_frequency.deployments).toBe(4);
    expect(dora.lead_time_hours.median).toBeCloseTo(10, 6);
    expect(dora.lead_time_hours.count).toBe(5);
    expect(dora.change_failure_rate).toBe(0.25);
    expect(dora.time_to_restore_hours).toMatchObject({ median: 3, count: 1 });
  });

  it("measures only the repositories of installation 2, and nothing for an unknown one", async () => {
    const dora = await metrics("?days=30&installation=2");
    expect(dora.scope.installation).toBe(2);
    expect(dora.deployment_frequency.deployments).toBe(2);
    expect(dora.lead_time_hours.median).toBeCloseTo(150, 6);
    expect(dora.change_failure_rate).toBe(0);
    expect(dora.time_to_restore_hours.count).toBe(0);
    expect((await metrics("?days=30&installation=3")).deployment_frequency.deployments).toBe(0);
  });

  it("lists only the installation's records as evidence", async () => {
    const second = await evidence("?figure=deployment_frequency&days=30&installation=2");
    expect(second.scope).toEqual({ repo: null, installation: 2, environment: null });
    expect(second.deployments.map((deployment) => deployment.id).sort()).toEqual([...widgets].sort());
    const first = await evidence("?figure=change_failure_rate&days=30&installation=1");
    expect(first.value).toBe(0.25);
    expect(first.deployments.map((deployment) => deployment.id).sort()).toEqual([fixture.d1, fixture.d2, fixture.d3, fixture.a1].sort());
    expect(first.incidents.map((incident) => incident.id)).toEqual([fixture.incident]);
    const lead = await evidence("?figure=lead_time&days=30&installation=2");
    expect(lead.changes.map((change) => Math.round(change.lead_time_hours!)).sort((a, b) => a - b)).toEqual([100, 200]);
  });

  it("classifies with the benchmark year asked for, keeping the settings' year in settings", async () => {
    const byDefault = await metrics("?days=30&installation=1");
    expect(byDefault.classification).toMatchObject({ benchmark_year: 2023, lead_time: "elite", change_failure_rate: "low" });
    const of2021 = await metrics("?days=30&installation=1&benchmark=2021");
    expect(of2021.classification).toMatchObject({ benchmark_year: 2021, lead_time: "high", change_failure_rate: "medium" });
    expect(of2021.settings.benchmark_year).toBe(2023);
    // Only the classification changes.
    expect(of2021.change_failure_rate).toBe(0.25);
    expect((await metrics("?days=30&installation=1&benchmark=2023")).classification).toEqual(byDefault.classification);
  });

  it.each([
    ["installation=abc", "installation", /installation id/],
    ["installation=0", "installation", /installation id/],
    ["installation=-1", "installation", /installation id/],
    ["installation=1.5", "installation", /installation id/],
    ["benchmark=2022", "benchmark", /2023 or 2021/],
    ["benchmark=latest", "benchmark", /2023 or 2021/],
  ])("refuses %s with 400 naming the parameter, on both routes", async (parameter, field, message) => {
    for (const path of ["/api/dora/metrics?", "/api/dora/evidence?figure=lead_time&"]) {
      const answer = await call(service.url, "GET", `${path}${parameter}`, { token });
      expect(answer.status).toBe(400);
      expect((answer.body as ErrorBody).details).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
  });

  it("refuses repo and installation together, naming both", async () => {
    for (const path of ["/api/dora/metrics?", "/api/dora/evidence?figure=lead_time&"]) {
      const answer = await call(service.url, "GET", `${path}repo=acme/web&installation=1`, { token });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: "Invalid query: pass repo or installation, not both",
        details: [
          { field: "repo", message: "cannot be combined with installation" },
          { field: "installation", message: "cannot be combined with repo" },
        ],
      });
    }
  });

  it("still makes a token restricted to repositories name its repo: installation does not replace it", async () => {
    const { token: restricted } = await new ApiTokens(service.prisma).create("web-team", "read", { repos: ["acme/web"], owners: [] });
    for (const path of ["/api/dora/metrics?", "/api/dora/evidence?figure=lead_time&"]) {
      const answer = await call(service.url, "GET", `${path}installation=1`, { token: restricted });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: "This token is restricted to acme/web: pass repo=owner/name naming one of them",
        details: [{ field: "repo", message: "is required for a token restricted to repositories" }],
      });
      expect((await call(service.url, "GET", `${path}repo=acme/web&benchmark=2021`, { token: restricted })).status).toBe(200);
    }
  });

  it("applies benchmark to rollup answers, and answers installation exactly even when rollups exist", async () => {
    const now = new Date();
    const from = new Date(now.getTime() - 60 * DAY);
    const load = (query: Parameters<typeof loadDoraInput>[1]) => loadDoraInput(service.prisma, query);
    await refreshDoraRollups(service.prisma, { from, to: now, doraOptions: doraOptions(defaultDoraConfig, from, now), load });
    // acme/web: lead times 4, 10, 20, 30 h (median about 15: the rollups' buckets approximate it): 2023 elite, 2021 high.
    const web2023 = await metrics("?days=30&repo=acme/web");
    expect(web2023.method).toBe("rollup");
    expect(web2023.classification).toMatchObject({ benchmark_year: 2023, lead_time: "elite" });
    const web2021 = await metrics("?days=30&repo=acme/web&benchmark=2021");
    expect(web2021.method).toBe("rollup");
    expect(web2021.classification).toMatchObject({ benchmark_year: 2021, lead_time: "high" });

    const second = await metrics("?days=30&installation=2");
    expect(second.method).toBe("exact");
    expect(second.deployment_frequency.deployments).toBe(2);
  });
});
