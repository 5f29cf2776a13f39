// A repository's own `dora` settings, end to end: capture over signed
// webhooks reads .github/iact.yml (served by nock, through the real
// RepoConfigCache) and records the settings once; GET /api/dora/metrics?repo=
// measures the repository with them, exactly when the rollups were built
// with other settings. Repositories without settings, and every query
// without `repo`, are measured with the defaults and say so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nock from "nock";
import { defaultDoraConfig } from "../../src/config/dora-config.js";
import { planMetricsResponseSchema } from "../../src/http/routes/dora-schemas.js";
import { doraOptions } from "../../src/config/dora-config.js";
import type { RunningService } from "../../src/service.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { DoraRepoSettingsRecorder, readRepoSettings } from "../../src/store/dora-repo-settings.js";
import { refreshDoraRollups } from "../../src/store/dora-rollups.js";
import { truncateAllTables } from "../support/database.js";
import { sendWebhook } from "../support/github-app.js";
import { startTestService, waitFor } from "../support/service.js";
import { API, FakeRepo, NAME, OWNER, REPO } from "../github/dora-capture/fake-github.js";
import type { Delivery } from "../github/dora-capture/fake-github.js";
import { call, tokenFor } from "./api-client.js";
import { writeFixture } from "./dora-fixture.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

const SETTINGS = `
dora:
  production: ["/^prod-(eu|us)$/"]
  targets:
    deployments_per_week: 10
    lead_time_hours: 1
    change_failure_rate: 0.05
    time_to_restore_hours: 2
  benchmark_year: 2021
`;

/**
 * acme/shop, direct pushes only (times UTC):
 *   c0 authored 2024-03-01 09:00 -> prod-eu    succeeded 13:00 (lead 4 h)
 *   c1 authored 2024-03-02 10:00 -> prod-us    succeeded 12:00 (lead 2 h)
 *                                -> production succeeded 18:00 (lead 8 h)
 * Its patterns: production = prod-eu + prod-us, 2 deployments, lead median 3 h.
 * The defaults: production = "production", 1 deployment, lead 8 h.
 */
function regionsHistory(): FakeRepo {
  const repo = new FakeRepo();
  repo.commit("c0", [], "2024-03-01 09:00", "Initial commit");
  repo.commit("c1", ["c0"], "2024-03-02 10:00", "Add regions");
  repo.deployment(100, "c0", "prod-eu", "2024-03-01 12:50", [["success", "2024-03-01 13:00"]]);
  repo.deployment(101, "c1", "prod-us", "2024-03-02 11:50", [["success", "2024-03-02 12:00"]]);
  repo.deployment(102, "c1", "production", "2024-03-02 17:50", [["success", "2024-03-02 18:00"]]);
  return repo;
}

describe("GET /api/dora/metrics with a repository's own DORA settings", () => {
  let service: RunningService;
  let token: string;
  let deliveries: Delivery[];

  beforeAll(async () => {
    await truncateAllTables();
    service = await startTestService();
    token = await tokenFor(service.prisma, "read");
    // Registered before the fake repository's catch-all, so these answer first.
    nock(API).persist().get(new RegExp(`^/repos/${OWNER}/${NAME}/contents/\\.github(%2F|/)iact\\.yml`)).reply(200, SETTINGS, { "content-type": "text/plain; charset=utf-8" });
    nock(API).persist().get(new RegExp(`^/repos/${OWNER}/\\.github/contents/`)).reply(404, { message: "Not Found" });
    regionsHistory().intercept();
    // acme/web and acme/api: records written directly, no settings recorded.
    await writeFixture(service.prisma, new Date());
    deliveries = regionsHistory().deliveries();
    await deliver(deliveries);
  });
  afterAll(async () => {
    await service.stop();
    nock.cleanAll();
  });

  async function deliver(batch: readonly Delivery[]): Promise<void> {
    const before = await service.prisma.webhookDelivery.count({ where: { status: "done" } });
    for (const delivery of batch) expect((await sendWebhook(service.url, delivery.event, delivery.payload)).response.status).toBe(202);
    await waitFor(async () => (await service.prisma.webhookDelivery.count({ where: { status: "done" } })) === before + batch.length, 20_000, "the deliveries to be processed");
  }

  const get = async (query: string) => {
    const answer = await call(service.url, "GET", `/api/dora/metrics${query}`, { token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return planMetricsResponseSchema.parse(answer.body).dora;
  };

  it("records the settings capture used, once", async () => {
    const stored = await readRepoSettings(service.prisma, REPO);
    expect(stored).toMatchObject({ found: true, valid: true });
    if (!stored.found || !stored.valid) return;
    expect(stored.config.production).toEqual(["/^prod-(eu|us)$/"]);
    expect(stored.config.targets.lead_time_hours).toBe(1);
    expect(await service.prisma.doraRepoSettings.count()).toBe(1);
  });

  it("measures the repository with its production patterns and its targets", async () => {
    const dora = await get(`?days=3650&repo=${REPO}`);
    expect(dora.method).toBe("exact");
    expect(dora.settings).toMatchObject({ source: "repository", production: ["/^prod-(eu|us)$/"], benchmark_year: 2021 });
    expect(dora.settings.updated_at).not.toBeNull();
    expect(dora.deployment_frequency.deployments).toBe(2);
    expect(dora.lead_time_hours.median).toBeCloseTo(3, 6);
    expect(dora.lead_time_hours.count).toBe(2);
    expect(dora.classification.benchmark_year).toBe(2021);
    expect(dora.targets.lead_time_hours).toEqual({ target: 1, actual: 3, met: false });
    expect(dora.targets.deployment_frequency.target).toBe(10);
    expect(dora.targets.change_failure_rate).toEqual({ target: 0.05, actual: 0, met: true });
    expect(dora.targets.time_to_restore_hours.target).toBe(2);
    // Every environment is still measured on its own.
    expect(Object.keys(dora.environments).sort()).toEqual(["prod-eu", "prod-us", "production"]);
  });

  it("lists the evidence behind the same figure, with the same settings", async () => {
    const answer = await call(service.url, "GET", `/api/dora/evidence?figure=deployment_frequency&days=3650&repo=${REPO}`, { token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const evidence = answer.body as { value: { deployments: number }; deployments: Array<{ environment: string }> };
    // Its own patterns make prod-eu and prod-us production: the defaults would count neither.
    expect(evidence.value.deployments).toBe(2);
    expect(evidence.deployments.map((deployment) => deployment.environment).sort()).toEqual(["prod-eu", "prod-us"]);
  });

  it("measures a repository without recorded settings with the defaults", async () => {
    const dora = await get("?days=3650&repo=acme/web");
    expect(dora.settings).toEqual({
      source: "defaults",
      updated_at: null,
      production: defaultDoraConfig.production,
      incident_window_hours: defaultDoraConfig.incidents.window_hours,
      hotfix: defaultDoraConfig.hotfix,
      targets: defaultDoraConfig.targets,
      benchmark_year: 2023,
    });
    expect(dora.deployment_frequency.deployments).toBe(3);
    expect(dora.targets.lead_time_hours.target).toBe(defaultDoraConfig.targets.lead_time_hours);
  });

  it("measures every repository together with the defaults, and says so", async () => {
    const dora = await get("?days=3650");
    expect(dora.settings.source).toBe("defaults");
    expect(dora.settings.production).toEqual(["/^prod(uction)?$/i"]);
    // acme/web 3 + acme/api 1 + acme/shop's "production" 1: prod-eu and prod-us are not production by default.
    expect(dora.deployment_frequency.deployments).toBe(5);
    expect(dora.classification.benchmark_year).toBe(2023);
  });

  it("answers exactly for a repository whose settings differ from the rollups', from rollups otherwise", async () => {
    const now = new Date();
    const from = new Date("2024-01-01T00:00:00Z");
    const load = (query: Parameters<typeof loadDoraInput>[1]) => loadDoraInput(service.prisma, query);
    await refreshDoraRollups(service.prisma, { from, to: now, doraOptions: doraOptions(defaultDoraConfig, from, now), load });
    const days = Math.ceil((now.getTime() - Date.UTC(2024, 0, 15)) / MS_PER_DAY);
    const web = await get(`?days=${days}&repo=acme/web`);
    expect(web.method).toBe("rollup");
    expect(web.settings.source).toBe("defaults");
    const shop = await get(`?days=${days}&repo=${REPO}`);
    expect(shop.method).toBe("exact");
    expect(shop.deployment_frequency.deployments).toBe(2);
    expect(shop.targets.lead_time_hours.target).toBe(1);
  });

  it("does not write the settings again while they stay the same", async () => {
    const before = await service.prisma.doraRepoSettings.findUniqueOrThrow({ where: { repo: REPO } });
    // A marker a write would overwrite.
    const marker = "0".repeat(64);
    await service.prisma.doraRepoSettings.update({ where: { repo: REPO }, data: { settingsHash: marker } });
    await deliver(deliveries.filter((delivery) => delivery.event === "deployment_status"));
    const after = await service.prisma.doraRepoSettings.findUniqueOrThrow({ where: { repo: REPO } });
    expect(after.settingsHash).toBe(marker);
    expect(after.updatedAt).toEqual(before.updatedAt);
    await service.prisma.doraRepoSettings.update({ where: { repo: REPO }, data: { settingsHash: before.settingsHash } });

    // Another process (nothing remembered) finds the same settings stored and leaves the row alone.
    const stored = await readRepoSettings(service.prisma, REPO);
    if (!stored.found || !stored.valid) throw new Error("settings should be stored");
    const recorder = new DoraRepoSettingsRecorder(service.prisma);
    expect(await recorder.record(REPO, stored.config, new Date(Date.now() + 60_000))).toBe(false);
    expect((await service.prisma.doraRepoSettings.findUniqueOrThrow({ where: { repo: REPO } })).updatedAt).toEqual(before.updatedAt);

    // Changed settings are written.
    expect(await recorder.record(REPO, { ...stored.config, benchmark_year: 2023 })).toBe(true);
    expect(await readRepoSettings(service.prisma, REPO)).toMatchObject({ valid: true, config: { benchmark_year: 2023 } });
  });
});
