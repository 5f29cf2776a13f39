// The DORA API's answers, byte for byte, on a generated history: every
// scope (all, repo, installation, environment, benchmark), exact and rollup
// paths, repositories with and without recorded settings, and the evidence
// of every figure. The expected answers were written by the code before the
// metric pipeline was reorganised (one measurer, all math in src/dora), so
// this test proves the reorganisation changed no figure. Regenerate only
// for an intended change of the API's answers (`vitest -u`), and say why.
import type http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDoraConfig, doraConfigSchema } from "../../src/config/dora-config.js";
import { EVIDENCE_FIGURES } from "../../src/dora/index.js";
import { ApiTokens } from "../../src/http/auth/api-tokens.js";
import { Router } from "../../src/http/router.js";
import { doraOptions } from "../../src/config/dora-config.js";
import { addApiRoutes } from "../../src/http/routes/index.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import { createHttpServer } from "../../src/http/server.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { DoraRepoSettingsRecorder } from "../../src/store/dora-repo-settings.js";
import { refreshDoraRollups } from "../../src/store/dora-rollups.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { writeGeneratedHistory } from "../support/generated-history.js";
import { call } from "./api-client.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

const DAY = MS_PER_DAY;
/** Pinned "now": mid-day, so exact windows and the rollups' UTC days differ. */
const NOW = new Date("2026-11-20T13:45:30.250Z");

const SCOPES = [
  "",
  "&repo=acme/web",
  "&repo=acme/api",
  "&repo=other/ops",
  "&installation=1",
  "&installation=2",
  "&environment=staging",
  "&repo=acme/web&environment=PROD-EU",
  "&benchmark=2021",
];

describe("GET /api/dora/metrics and /api/dora/evidence answers on a generated history", () => {
  let prisma: PrismaClient;
  let token: string;
  const servers: http.Server[] = [];

  async function serve(readFromDeployments: number): Promise<string> {
    const load = (query: Parameters<typeof loadDoraInput>[1]) => loadDoraInput(prisma, query);
    const measurer = new DoraMeasurer({ load, prisma, rollups: { buildFromDeployments: readFromDeployments, readFromDeployments, maxAgeMs: 10 * 365 * DAY } });
    const router = addApiRoutes(new Router(), { prisma, measurer, now: () => NOW });
    const server = createHttpServer({ router, webhooks: { receive: async () => ({ status: 404, body: {} }) }, auth: new ApiTokens(prisma), log: pino({ level: "silent" }), maxBodyBytes: 65_536 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function answers(url: string, paths: readonly string[]): Promise<Record<string, unknown>> {
    const collected: Record<string, unknown> = {};
    for (const path of paths) {
      const answer = await call(url, "GET", path, { token });
      collected[path] = { status: answer.status, body: answer.body };
    }
    return collected;
  }

  beforeAll(async () => {
    await truncateAllTables();
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
    await writeGeneratedHistory(prisma, { seed: 7, end: NOW, days: 120, deployments: 700, incidents: 40 });
    // acme/api: other targets and year (same rollup settings); other/ops: other production patterns (exact only).
    const recorder = new DoraRepoSettingsRecorder(prisma);
    await recorder.record("acme/api", doraConfigSchema.parse({ targets: { deployments_per_week: 3, lead_time_hours: 12 }, benchmark_year: 2021 }), new Date("2026-10-01T00:00:00Z"));
    await recorder.record("other/ops", doraConfigSchema.parse({ production: ["/^prod/i"], incidents: { window_hours: 24 } }), new Date("2026-10-02T00:00:00Z"));
    token = (await new ApiTokens(prisma).create("answers-reader", "read")).token;
  });

  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await prisma.$disconnect();
  });

  it("answers exactly as before the pipeline was reorganised", async () => {
    const metricPaths = [1, 7, 30, 90].flatMap((days) => SCOPES.map((scope) => `/api/dora/metrics?days=${days}${scope}`));
    const evidencePaths = SCOPES.flatMap((scope) => EVIDENCE_FIGURES.map((figure) => `/api/dora/evidence?figure=${figure}&days=30${scope}`));

    // 1. no rollups: every answer exact
    const exact = await answers(await serve(Number.MAX_SAFE_INTEGER), [...metricPaths, ...evidencePaths]);

    // 2. rollups built up to NOW: covered answers come from them
    const from = new Date(NOW.getTime() - 100 * DAY);
    await refreshDoraRollups(prisma, { from, to: NOW, doraOptions: doraOptions(defaultDoraConfig, from, NOW), load: (query) => loadDoraInput(prisma, query) });
    const rollup = await answers(await serve(0), metricPaths);

    const methods = Object.values(rollup).map((entry) => (entry as { body: { dora?: { method: string } } }).body.dora?.method);
    expect(methods).toContain("rollup");
    expect(methods).toContain("exact");
    await expect(`${JSON.stringify({ exact, rollup }, null, 1)}\n`).toMatchFileSnapshot("../fixtures/dora/api-answers.json");
  });
});
