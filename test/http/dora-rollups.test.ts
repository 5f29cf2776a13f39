// GET /api/dora/metrics reads the daily rollups when they cover the window
// (the pure rollup math: test/dora/rollups.test.ts).
import type http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDoraConfig, doraOptions } from "../../src/config/dora-config.js";
import { MS_PER_DAY } from "../../src/dora/index.js";
import { ApiTokens } from "../../src/http/auth/api-tokens.js";
import { healthRoutes } from "../../src/http/health-routes.js";
import { Router } from "../../src/http/router.js";
import { planMetricsResponseSchema } from "../../src/http/routes/dora-schemas.js";
import { addApiRoutes } from "../../src/http/routes/index.js";
import { createHttpServer } from "../../src/http/server.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { refreshDoraRollups } from "../../src/store/dora-rollups.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { call } from "./api-client.js";
import { writeFixture } from "./dora-fixture.js";

const DAY = MS_PER_DAY;

describe("GET /api/dora/metrics from rollups, on the real server", () => {
  let prisma: PrismaClient;
  let server: http.Server;
  let url: string;
  let token: string;
  let refreshedAt: Date;

  beforeAll(async () => {
    await truncateAllTables();
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
    const now = new Date();
    await writeFixture(prisma, now);
    const load = (query: Parameters<typeof loadDoraInput>[1]) => loadDoraInput(prisma, query);
    const from = new Date(now.getTime() - 40 * DAY);
    refreshedAt = new Date();
    await refreshDoraRollups(prisma, { from, to: refreshedAt, doraOptions: doraOptions(defaultDoraConfig, from, refreshedAt), load });
    const measurer = new DoraMeasurer({ load, prisma, rollups: { buildFromDeployments: 1, readFromDeployments: 1 } });
    const router = addApiRoutes(new Router().add(...healthRoutes({})), { prisma, measurer });
    server = createHttpServer({ router, webhooks: { receive: async () => ({ status: 404, body: {} }) }, auth: new ApiTokens(prisma), log: pino({ level: "silent" }), maxBodyBytes: 65_536 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    token = (await new ApiTokens(prisma).create("rollup-reader", "read")).token;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await prisma.$disconnect();
  });

  it("answers from the rollups with method, as_of and the day-aligned window, and the same figures", async () => {
    const answer = await call(url, "GET", "/api/dora/metrics?days=30", { token });
    expect(answer.status).toBe(200);
    const { dora, metrics } = planMetricsResponseSchema.parse(answer.body);
    expect(dora.method).toBe("rollup");
    expect(dora.as_of).toBe(refreshedAt.toISOString());
    expect(dora.window.from).toMatch(/T00:00:00\.000Z$/);
    expect(dora.window.to).toBe(refreshedAt.toISOString());
    expect(dora.deployment_frequency).toMatchObject({ deployments: 4, deploy_days: 4 });
    expect(dora.change_failure_rate).toBe(0.25);
    expect(dora.failed_deployment_attempts).toBe(1);
    expect(dora.time_to_restore_hours).toMatchObject({ median: 3, count: 1, open: 0 });
    expect(metrics.mttr_hours).toBe(3);
    expect(Math.abs(dora.lead_time_hours.median! - 10) / 10).toBeLessThanOrEqual(0.0251);
    expect(Object.keys(dora.environments)).toEqual(["production", "staging"]);

    const web = planMetricsResponseSchema.parse((await call(url, "GET", "/api/dora/metrics?days=30&repo=acme/web", { token })).body).dora;
    expect(web.method).toBe("rollup");
    expect(web.deployment_frequency.deployments).toBe(3);
    expect(web.change_failure_rate).toBeCloseTo(1 / 3, 12);
  });

  it("measures exactly when the rollups do not cover the window", async () => {
    const { dora } = planMetricsResponseSchema.parse((await call(url, "GET", "/api/dora/metrics?days=365", { token })).body);
    expect(dora.method).toBe("exact");
    expect(dora.deployment_frequency.deployments).toBe(4);
  });
});
