// The dashboard in a real browser (apt's chromium through playwright-core):
// sign in through GitHub's OAuth (the local fake, which the browser itself
// visits), see only the permitted repositories, open an overview whose
// figures equal the API's, follow a figure to its evidence, filter and
// search the records, switch language, read it on a phone, sign out.
//
// IACT_SCREENSHOTS_DIR=docs/images also saves the overview and the records
// list as PNG (the README's pictures).
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { browserAvailable, launchChromium } from "../../support/browser.js";
import { dashboardEnv, FakeGitHubOAuth } from "../../support/fake-github-oauth.js";
import { serviceForAllTests } from "../../support/service.js";
import { call, tokenFor } from "../api-client.js";
import { deployment, writeFixture } from "../dora-fixture.js";

const screenshots = process.env.IACT_SCREENSHOTS_DIR;

describe.skipIf(!browserAvailable())("dashboard in a browser", () => {
  const fake = new FakeGitHubOAuth();
  const options = { env: {} as Record<string, string> };
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    await fake.start();
    Object.assign(options.env, dashboardEnv(fake));
    fake.user = { login: "octocat", id: 7, installations: { 1: ["acme/web", "acme/api"] } };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fake.stop();
  });
  serviceForAllTests((started) => (service = started), options);

  async function signedInPage(locale = "en-US", viewport = { width: 1200, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ locale, viewport });
    const page = await context.newPage();
    await page.goto(`${service.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    await page.getByRole("link", { name: /Sign in with GitHub|Iniciar sesión con GitHub/ }).click();
    await page.waitForURL(`${service.url}/dashboard`);
    return page;
  }

  async function seed(): Promise<void> {
    await writeFixture(service.prisma, new Date());
    await deployment(service.prisma, "acme/secret", "production", new Date(Date.now() - 86_400_000), [{ hoursBefore: 2 }]);
    const rows = ["planning", "testing", "deployment", "maintenance"].flatMap((phase, p) =>
      ["go", "no-go", "review"].map((decision, d) => ({
        cycleId: `CYC-${p}${d}`,
        featureId: `FEAT-${p}`,
        phaseName: phase,
        decision,
        durationSeconds: "60.00",
        metadata: {},
        createdAt: new Date(Date.UTC(2026, 9, 1 + p * 3 + d, 9)),
      })),
    );
    await service.prisma.teamMetric.createMany({ data: rows });
  }

  it("signs in, lists only the permitted repositories, shows the API's figures, follows one to its evidence and signs out", async () => {
    await seed();
    const page = await signedInPage();
    const repositories = await page.locator("a.repository").allTextContents();
    expect(repositories).toEqual(["acme/api", "acme/web"]);

    await page.getByRole("link", { name: "acme/web" }).click();
    await page.waitForURL(/\/dashboard\/repos\/acme\/web$/);
    const shown = Object.fromEntries(
      await page.locator("a.figure").evaluateAll((links) => links.map((link) => [link.getAttribute("data-figure"), JSON.parse(link.getAttribute("data-value") ?? "null")])),
    );
    const token = await tokenFor(service.prisma, "read");
    const api = await call(service.url, "GET", "/api/dora/metrics?days=90&repo=acme/web", { token });
    const dora = (api.body as { dora: { deployment_frequency: { per_week: number }; lead_time_hours: { median: number }; change_failure_rate: number; time_to_restore_hours: { median: number }; rework_rate: number } }).dora;
    expect(shown).toEqual({
      deployment_frequency: dora.deployment_frequency.per_week,
      lead_time: dora.lead_time_hours.median,
      change_failure_rate: dora.change_failure_rate,
      time_to_restore: dora.time_to_restore_hours.median,
      rework_rate: dora.rework_rate,
    });
    expect(await page.locator("svg.chart").count()).toBe(3);
    if (screenshots) await page.screenshot({ path: path.join(screenshots, "dashboard-overview.png"), fullPage: true });

    await page.locator('a.figure[data-figure="change_failure_rate"]').click();
    await page.waitForURL(/evidence\/change_failure_rate/);
    expect(await page.locator("h1").textContent()).toContain("Change failure rate");
    expect(await page.locator("main table").first().locator("tbody tr").count()).toBe(3);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${service.url}/dashboard/sign-in`);
    await page.goto(`${service.url}/dashboard/repos/acme/web`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    expect(await service.prisma.dashboardSession.count()).toBe(0);
  });

  it("answers 404 in the browser for a repository outside the user's installations", async () => {
    const page = await signedInPage();
    const answer = await page.goto(`${service.url}/dashboard/repos/acme/secret`);
    expect(answer?.status()).toBe(404);
  });

  it("filters and searches the records list, and switches language", async () => {
    await seed();
    const page = await signedInPage();
    await page.getByRole("link", { name: "Team records" }).click();
    await page.getByLabel("Phase").selectOption("testing");
    await page.getByLabel("Decision").selectOption("no-go");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/phase=testing/);
    expect(await page.locator("table.records tbody td:first-child").allTextContents()).toEqual(["CYC-11"]);

    await page.goto(`${service.url}/dashboard/records`);
    await page.getByLabel("Search cycle or feature id").fill("FEAT-3");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/q=FEAT-3/);
    expect(await page.locator("table.records tbody td:first-child").allTextContents()).toEqual(["CYC-32", "CYC-31", "CYC-30"]);

    await page.goto(`${service.url}/dashboard/records`);
    if (screenshots) await page.screenshot({ path: path.join(screenshots, "dashboard-records.png"), fullPage: true });
    await page.getByRole("link", { name: "Español" }).click();
    await page.waitForURL(/lang=es/);
    expect(await page.locator("h1").textContent()).toBe("Registros del equipo");
    await page.goto(`${service.url}/dashboard`);
    expect(await page.locator("h1").textContent()).toBe("Repositorios");
  });

  it("starts in Spanish for a Spanish browser and fits a phone's width", async () => {
    await seed();
    const page = await signedInPage("es-ES", { width: 375, height: 800 });
    expect(await page.locator("h1").textContent()).toBe("Repositorios");
    await page.goto(`${service.url}/dashboard/repos/acme/web`);
    // Runs in the page, where `document` exists; the tests' own types have no DOM.
    const overflow = await page.locator("html").evaluate((root) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
