// The DORA report of a known history (test/http/dora-fixture.ts, November
// 2026): its Markdown matches the expected files in both locales, and its
// figures are the API's for the same window, in-process with the same clock
// and through the real `iact-bot report --days` command.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { doraMetricsRoutes } from "../../src/http/routes/dora-metrics-routes.js";
import { evidenceRoutes } from "../../src/http/routes/evidence-routes.js";
import { EVIDENCE_VALUE_KEY } from "../../src/dora/index.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import { buildReport, monthWindow } from "../../src/reports/build.js";
import { renderJson, renderMarkdown } from "../../src/reports/render.js";
import type { ReportLocale } from "../../src/reports/render.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { keepFirstBaseline } from "../../src/store/dora-reports.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { cli, CLI_TEST_TIMEOUT_MS } from "../support/cli.js";
import { testDatabaseSettings, truncateAllTables } from "../support/database.js";
import { writeFixture } from "../http/dora-fixture.js";

/** The history ends 2026-11-28; November is its month. */
const HISTORY_END = new Date("2026-11-28T00:00:00Z");
const NOW = new Date("2026-12-01T06:00:00Z");
const EXPECTED = (locale: ReportLocale) => new URL(`../fixtures/reports/acme-web-2026-11.${locale}.md`, import.meta.url);

function withoutWindows(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === "window" ? undefined : inner)));
}

describe("DORA report", () => {
  let prisma: PrismaClient;
  let measurer: DoraMeasurer;

  beforeAll(async () => {
    prisma = createPrismaClient(testDatabaseSettings());
    await truncateAllTables();
    await writeFixture(prisma, HISTORY_END);
    // One change with its pull request, for the PR links.
    // (d3's change, 30 h: deployment 3, change 0.)
    await prisma.doraChange.updateMany({ where: { sha: `${"c".repeat(38)}30` }, data: { prRepo: "acme/web", prNumber: 42 } });
    measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log: pino({ level: "silent" }) });
  });
  afterAll(async () => {
    await measurer.idle();
    await prisma.$disconnect();
  });

  it("reads a month in the report's time zone", () => {
    expect(monthWindow("2026-11")).toEqual({ from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") });
    expect(monthWindow("2026-12")).toEqual({ from: new Date("2026-12-01T00:00:00Z"), to: new Date("2027-01-01T00:00:00Z") });
    expect(monthWindow("2026-11", "America/Bogota")).toEqual({ from: new Date("2026-11-01T05:00:00Z"), to: new Date("2026-12-01T05:00:00Z") });
    expect(monthWindow("2026-03", "Europe/Madrid")).toEqual({ from: new Date("2026-02-28T23:00:00Z"), to: new Date("2026-03-31T22:00:00Z") });
    expect(() => monthWindow("2026-13")).toThrow("YYYY-MM");
  });

  it.each(["en", "es"] as const)("renders November 2026 of acme/web as the expected Markdown (%s)", async (locale) => {
    const content = await buildReport(measurer, { repo: "acme/web", period: { month: "2026-11" }, apiUrl: "https://iact.example.com" }, NOW);
    const markdown = renderMarkdown(content, locale);
    if (process.env.UPDATE_EXPECTED === "1") writeFileSync(EXPECTED(locale), markdown);
    expect(markdown).toBe(readFileSync(EXPECTED(locale), "utf8"));
  });

  it("shows the measurer's figures for the month, the slowest changes first, the month's incidents and one chart point per week", async () => {
    const window = monthWindow("2026-11");
    const content = await buildReport(measurer, { repo: "acme/web", period: { month: "2026-11" } }, NOW);
    const measured = await measurer.measure({ repo: "acme/web", days: 30, window }, NOW);
    expect(content.figures).toEqual(measured.report);
    expect(content.slowestChanges.map((change) => change.leadTimeHours)).toEqual([30, 20, 10, 4]);
    expect(content.incidents.map((incident) => [incident.number, incident.restoreHours])).toEqual([[1, 3]]);
    expect(content.weeks.map((week) => week.from)).toEqual(["2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29"]);
    expect(content.weeks.reduce((sum, week) => sum + week.deployments, 0)).toBe(measured.report.deployment_frequency.deployments);
    expect(JSON.parse(renderJson(content, "es"))).toMatchObject({ title: "Informe DORA 2026-11", dora: { change_failure_rate: measured.report.change_failure_rate } });
  });

  it("links each figure to the evidence API for the month, which lists the records behind the same value", async () => {
    const content = await buildReport(measurer, { repo: "acme/web", period: { month: "2026-11" }, apiUrl: "https://iact.example.com" }, NOW);
    const [route] = evidenceRoutes({ measurer, now: () => NOW });
    for (const [figure, link] of Object.entries(content.evidenceLinks)) {
      const url = new URL(link);
      expect(url.origin + url.pathname).toBe("https://iact.example.com/api/dora/evidence");
      const answer = await route!.handler({ query: url.searchParams, principal: { scope: "read" } } as never);
      const body = answer.body as { value: unknown; window: { from: string; to: string } };
      expect(body.window).toMatchObject(content.window);
      expect(body.value).toEqual(content.figures[EVIDENCE_VALUE_KEY[figure as keyof typeof EVIDENCE_VALUE_KEY]]);
    }
    await expect(route!.handler({ query: new URLSearchParams("figure=lead_time&repo=acme/web&from=2026-11-01T00:00:00Z"), principal: { scope: "read" } } as never)).rejects.toThrow("pass from and to together");
    await expect(route!.handler({ query: new URLSearchParams("figure=lead_time&repo=acme/web&from=2000-01-01T00:00:00Z&to=2026-12-01T00:00:00Z"), principal: { scope: "read" } } as never)).rejects.toThrow("longer than 3650 days");
  });

  it("gives the API's figures for the same --days window and clock", async () => {
    const [route] = doraMetricsRoutes({ prisma, measurer, now: () => NOW }).filter((entry) => entry.method === "GET");
    const answer = await route!.handler({ query: new URLSearchParams("days=30&repo=acme/web"), principal: { scope: "read" } } as never);
    const { dora } = answer.body as { dora: Record<string, unknown> };
    const content = await buildReport(measurer, { repo: "acme/web", period: { days: 30 } }, NOW);
    const { scope: _scope, method: _method, as_of: _asOf, settings: _settings, ...figures } = dora;
    expect(JSON.parse(JSON.stringify(content.figures))).toEqual(figures);
  });

  it(
    "iact-bot report --days 30 --format json prints the API's figures; --month --locale es prints the Spanish report",
    async () => {
      const json = await cli("report", "--repo", "acme/web", "--days", "30", "--format", "json");
      expect(json.stderr).toBe("");
      expect(json.code).toBe(0);
      const printed = JSON.parse(json.stdout) as { dora: Record<string, unknown> };
      const [route] = doraMetricsRoutes({ prisma, measurer }).filter((entry) => entry.method === "GET");
      const answer = await route!.handler({ query: new URLSearchParams("days=30&repo=acme/web"), principal: { scope: "read" } } as never);
      const { scope: _scope, method: _method, as_of: _asOf, settings: _settings, ...figures } = (answer.body as { dora: Record<string, unknown> }).dora;
      // The command and the route each read their own clock: only the windows' ends differ.
      expect(withoutWindows(printed.dora)).toEqual(withoutWindows(figures));
      // The stored baseline (the first report issue's figures) is compared against, as in the issue.
      await keepFirstBaseline(prisma, "acme/web", { period: "2026-10", figures: { deployments_per_week: 1, lead_time_median_hours: 20, change_failure_rate: 0.5, time_to_restore_median_hours: null, rework_rate: 0 } }, NOW);
      const markdown = await cli("report", "--repo", "acme/web", "--month", "2026-11", "--locale", "es");
      expect(markdown.code).toBe(0);
      expect(markdown.stdout).toMatch(/^# Informe DORA 2026-11: acme\/web\n/);
      expect(markdown.stdout).toContain("| Tiempo de entrega de cambios (mediana) | 15 h | sin datos | — | 20 h | −5 h |");
      expect(markdown.stdout).toContain("| Tasa de fallos de cambios | 33.3% | sin datos | — | 50% | −16.7 pp |");
      expect((await cli("report", "--repo", "acme/web", "--days", "3", "--month", "2026-11")).stderr).toContain("give --days or --month, not both");
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
