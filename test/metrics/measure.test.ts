// The one measurer: which path answers a query (exact or rollups), with
// which settings, over which window, and that evidence comes from the same
// measurement as the figure. Pure cases use an injected loader; rollup cases
// use the real MariaDB.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultDoraConfig, doraConfigSchema, doraOptions } from "../../src/config/dora-config.js";
import { computeDoraByEnvironment, EVIDENCE_FIGURES, EVIDENCE_VALUE_KEY, MS_PER_DAY } from "../../src/dora/index.js";
import type { DoraInput } from "../../src/dora/index.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import type { DoraInputQuery } from "../../src/store/dora-records.js";
import { DoraRepoSettingsRecorder } from "../../src/store/dora-repo-settings.js";
import { readRollupState, refreshDoraRollups } from "../../src/store/dora-rollups.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { INPUT } from "../dora/scenario.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { writeFixture } from "../http/dora-fixture.js";

const NOW = new Date("2024-03-18T00:00:00Z");

describe("DoraMeasurer without a database: always exact, with the service's settings", () => {
  const asked: DoraInputQuery[] = [];
  const measurer = new DoraMeasurer({
    load: async (query) => {
      asked.push(query);
      return INPUT;
    },
  });

  it("measures [now - days, now) with the core and drops the evidence ids", async () => {
    const measured = await measurer.measure({ days: 14 }, NOW);
    const from = new Date(NOW.getTime() - 14 * MS_PER_DAY);
    const { evidence: _evidence, environments, ...expected } = computeDoraByEnvironment(INPUT, doraOptions(defaultDoraConfig, from, NOW));
    expect(measured.method).toBe("exact");
    expect(measured.asOf).toEqual(NOW);
    expect(measured.settings).toEqual({ source: "defaults", config: defaultDoraConfig });
    expect({ ...measured.report, environments: undefined }).toEqual({ ...expected, environments: undefined });
    expect(Object.keys(measured.report.environments)).toEqual(Object.keys(environments));
    expect(asked.at(-1)).toEqual({ from, to: NOW });
  });

  it("asks the loader for the repository or the installation, and measures one environment", async () => {
    await measurer.measure({ days: 7, repo: "acme/shop" }, NOW);
    expect(asked.at(-1)).toMatchObject({ repo: "acme/shop" });
    await measurer.measure({ days: 7, installation: 42 }, NOW);
    expect(asked.at(-1)).toMatchObject({ installationId: 42 });
    const staging = await measurer.measure({ days: 14, environment: "staging" }, NOW);
    expect(Object.keys(staging.report.environments)).toEqual(["staging"]);
    expect(staging.report.deployment_frequency.deployments).toBe(2);
  });

  it("applies the benchmark year a query asks for", async () => {
    expect((await measurer.measure({ days: 14, benchmark: 2021 }, NOW)).report.classification.benchmark_year).toBe(2021);
  });

  it("measures an explicit window [from, to) exactly, whatever `days` and `now` say", async () => {
    const window = { from: new Date("2024-03-01T00:00:00Z"), to: new Date("2024-03-15T00:00:00Z") };
    const measured = await measurer.measure({ days: 30, window }, NOW);
    const { evidence: _evidence, environments: _environments, ...expected } = computeDoraByEnvironment(INPUT, doraOptions(defaultDoraConfig, window.from, window.to));
    expect(asked.at(-1)).toEqual(window);
    expect(measured.method).toBe("exact");
    expect(measured.report.window).toMatchObject({ from: window.from.toISOString(), to: window.to.toISOString() });
    expect({ ...measured.report, environments: undefined }).toEqual({ ...expected, environments: undefined });
  });

  it.each(EVIDENCE_FIGURES)("gives the evidence of %s over an explicit window with the value measure() shows", async (figure) => {
    const window = { from: new Date("2024-03-04T00:00:00Z"), to: new Date("2024-03-18T00:00:00Z") };
    const measured = await measurer.measure({ days: 1, window }, NOW);
    const evidence = await measurer.evidence({ days: 1, window }, figure, NOW);
    expect(evidence.window).toEqual(measured.report.window);
    expect(evidence.evidence.value).toEqual(measured.report[EVIDENCE_VALUE_KEY[figure]]);
  });

  it("gives several figures' evidence from one load of the records, each equal to evidence() alone", async () => {
    const before = asked.length;
    const both = await measurer.evidenceOf({ days: 14 }, ["lead_time", "time_to_restore"], NOW);
    expect(asked.length - before).toBe(1);
    expect(both).toEqual([await measurer.evidence({ days: 14 }, "lead_time", NOW), await measurer.evidence({ days: 14 }, "time_to_restore", NOW)]);
  });

  it.each(EVIDENCE_FIGURES)("gives the evidence of %s with the value measure() shows", async (figure) => {
    const measured = await measurer.measure({ days: 14 }, NOW);
    const { evidence, window } = await measurer.evidence({ days: 14 }, figure, NOW);
    expect(window).toEqual(measured.report.window);
    expect(evidence.value).toEqual(measured.report[EVIDENCE_VALUE_KEY[figure]]);
  });
});

describe("DoraMeasurer with rollups (MariaDB)", () => {
  let prisma: PrismaClient;
  let now: Date;
  const load = (query: DoraInputQuery): Promise<DoraInput> => loadDoraInput(prisma, query);

  beforeAll(async () => {
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });
  beforeEach(async () => {
    await truncateAllTables();
    now = new Date();
    await writeFixture(prisma, now);
  });

  async function buildRollups(): Promise<void> {
    const from = new Date(now.getTime() - 40 * MS_PER_DAY);
    await refreshDoraRollups(prisma, { from, to: now, doraOptions: doraOptions(defaultDoraConfig, from, now), load });
  }

  it("reads the rollups when they cover the window, with their refresh time as asOf", async () => {
    await buildRollups();
    const measured = await new DoraMeasurer({ load, prisma }).measure({ days: 30 }, now);
    expect(measured.method).toBe("rollup");
    expect(measured.asOf).toEqual((await readRollupState(prisma))!.refreshedAt);
    expect(measured.report.deployment_frequency.deployments).toBe(4);
    expect(measured.report.window.from).toMatch(/T00:00:00\.000Z$/);
  });

  it("measures exactly what rollups cannot answer: an installation, an uncovered window, other production patterns, too few deployments", async () => {
    await buildRollups();
    const measurer = new DoraMeasurer({ load, prisma });
    expect((await measurer.measure({ days: 30, installation: 1 }, now)).method).toBe("exact");
    expect((await measurer.measure({ days: 365 }, now)).method).toBe("exact");
    await new DoraRepoSettingsRecorder(prisma).record("acme/web", doraConfigSchema.parse({ production: ["/^prod/i"] }));
    const web = await measurer.measure({ days: 30, repo: "acme/web" }, now);
    expect([web.method, web.settings.source]).toEqual(["exact", "repository"]);
    expect((await new DoraMeasurer({ load, prisma, rollups: { readFromDeployments: 100 } }).measure({ days: 30 }, now)).method).toBe("exact");
  });

  it("measures an explicit window exactly even when rollups cover it", async () => {
    await buildRollups();
    const window = { from: new Date(now.getTime() - 30 * MS_PER_DAY), to: now };
    const measured = await new DoraMeasurer({ load, prisma }).measure({ days: 30, window }, now);
    expect(measured.method).toBe("exact");
    expect(measured.report.window.from).toBe(window.from.toISOString());
    expect(measured.report.deployment_frequency.deployments).toBe(4);
  });

  it("starts the first build once an exact answer loads buildFromDeployments deployments", async () => {
    const measurer = new DoraMeasurer({ load, prisma, rollups: { buildFromDeployments: 4 } });
    expect((await measurer.measure({ days: 30 }, now)).method).toBe("exact");
    await measurer.idle();
    expect(await readRollupState(prisma)).not.toBeNull();
    expect((await measurer.measure({ days: 30 }, new Date(now.getTime() + 1000))).method).toBe("rollup");
  });

  it("refreshes rollups older than maxAgeMs in the background, and answers from them meanwhile", async () => {
    await buildRollups();
    const measurer = new DoraMeasurer({ load, prisma, rollups: { maxAgeMs: 1000 } });
    const later = new Date(now.getTime() + 60_000);
    expect((await measurer.measure({ days: 30 }, later)).method).toBe("rollup");
    await measurer.idle();
    expect((await readRollupState(prisma))!.refreshedAt).toEqual(later);
  });
});
