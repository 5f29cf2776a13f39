// The dashboard's pages over real HTTP: the overview shows the API's figures
// for the same query, evidence lists the records behind a figure, the team
// records list filters, searches and pages, operations shows the inbox and
// check runs, and the language follows Accept-Language or the user's choice.
// (Expired sessions' removal: test/store/dashboard-sessions.test.ts.)
import { beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { appendAudit } from "../../../src/store/audit-log.js";
import { writeHealthSnapshot } from "../../../src/store/health-snapshots.js";
import { dashboardServiceForAllTests } from "../../support/dashboard-service.js";
import { call, tokenFor } from "../api-client.js";
import { writeFixture } from "../dora-fixture.js";
import { DashboardClient } from "../../support/dashboard-client.js";

let service: RunningService;
const fake = dashboardServiceForAllTests((started) => (service = started));

let client: DashboardClient;
beforeEach(async () => {
  fake.user = { login: "octocat", id: 7, installations: { 1: ["acme/web", "acme/api"] } };
  client = new DashboardClient(service.url);
  await client.signIn();
});

/** figure -> the value the page carries in data-value (the API's JSON value). */
function pageFigures(text: string): Record<string, unknown> {
  const figures: Record<string, unknown> = {};
  for (const match of text.matchAll(/data-figure="([a-z_]+)" data-value="([^"]*)"/g)) {
    figures[match[1]!] = JSON.parse(match[2]!.replaceAll("&quot;", '"'));
  }
  return figures;
}

/** The API's `dora` answer, read as the overview shows it: figure -> value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field
function overviewFiguresOf(dora: Record<string, any>): Record<string, unknown> {
  return {
    deployment_frequency: dora.deployment_frequency.per_week,
    lead_time: dora.lead_time_hours.median,
    change_failure_rate: dora.change_failure_rate,
    time_to_restore: dora.time_to_restore_hours.median,
    rework_rate: dora.rework_rate,
  };
}

describe("overview", () => {
  it.each([30, 90])("shows exactly the figures GET /api/dora/metrics gives for days=%i", async (days) => {
    await writeFixture(service.prisma, new Date());
    const token = await tokenFor(service.prisma, "read");
    const page = await client.get(`/dashboard/repos/acme/web?days=${days}`);
    const api = await call(service.url, "GET", `/api/dora/metrics?days=${days}&repo=acme/web`, { token });
    expect(page.status).toBe(200);
    expect(api.status).toBe(200);
    const dora = (api.body as { dora: Record<string, any> }).dora; // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field below
    expect(pageFigures(page.text)).toEqual(overviewFiguresOf(dora));
    // The fixture's hand-computed acme/web production figures (test/http/dora-fixture.ts).
    expect(dora.lead_time_hours.median).toBe(15);
    expect(dora.classification.lead_time).toBeTruthy();
    expect(page.text).toContain(`>${dora.classification.lead_time}<`);
    expect(page.text).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect(page.text).toContain("<desc");
  });

  it("links each figure to its evidence, which lists the records the API's evidence lists", async () => {
    await writeFixture(service.prisma, new Date());
    const token = await tokenFor(service.prisma, "read");
    const overview = await client.get("/dashboard/repos/acme/web?days=30");
    const link = /href="([^"]*evidence\/lead_time[^"]*)"/.exec(overview.text)![1]!.replaceAll("&amp;", "&");
    const evidence = await client.get(link);
    const api = await call(service.url, "GET", "/api/dora/evidence?figure=lead_time&days=30&repo=acme/web", { token });
    const body = api.body as { value: unknown; changes: Array<{ sha: string }> };
    expect(evidence.status).toBe(200);
    expect(pageFigures(evidence.text)).toEqual({ lead_time: body.value });
    expect(body.changes.length).toBe(4);
    for (const change of body.changes) expect(evidence.text).toContain(change.sha.slice(0, 12));
  });

  it("keeps a session's repositories for the default 10 minutes before reading them again from GitHub", async () => {
    fake.user.installations = {};
    expect((await client.get("/dashboard/repos/acme/api?days=30")).status).toBe(200);
  });

  it("refuses a bad period with 400 naming the field", async () => {
    const answer = await client.get("/dashboard/repos/acme/web?days=0");
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("days must be at least 1");
    expect((await client.get("/dashboard/repos/acme/web/evidence/not_a_figure")).status).toBe(404);
  });
});

describe("installation overview", () => {
  it("shows exactly the figures GET /api/dora/metrics gives for the installation, both repositories together", async () => {
    await writeFixture(service.prisma, new Date());
    const token = await tokenFor(service.prisma, "read");
    const page = await client.get("/dashboard/installations/1?days=30");
    const api = await call(service.url, "GET", "/api/dora/metrics?days=30&installation=1", { token });
    expect(page.status).toBe(200);
    const dora = (api.body as { dora: Record<string, any> }).dora; // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field below
    expect(pageFigures(page.text)).toEqual(overviewFiguresOf(dora));
    // The fixture's hand-computed production figures of both repositories: lead times 1, 4, 10, 20, 30 h.
    expect(dora.lead_time_hours.median).toBe(10);
    expect(dora.change_failure_rate).toBe(0.25);
    expect(page.text).toContain("installation 1");
  });

  it("links a figure to the installation's evidence, the records the API's evidence lists", async () => {
    await writeFixture(service.prisma, new Date());
    const token = await tokenFor(service.prisma, "read");
    const overview = await client.get("/dashboard/installations/1?days=30");
    const link = /href="([^"]*installations\/1\/evidence\/lead_time[^"]*)"/.exec(overview.text)![1]!.replaceAll("&amp;", "&");
    const evidence = await client.get(link);
    const api = await call(service.url, "GET", "/api/dora/evidence?figure=lead_time&days=30&installation=1", { token });
    const body = api.body as { value: unknown; changes: Array<{ sha: string }> };
    expect(evidence.status).toBe(200);
    expect(pageFigures(evidence.text)).toEqual({ lead_time: body.value });
    expect(body.changes.length).toBe(5);
    for (const change of body.changes) expect(evidence.text).toContain(change.sha.slice(0, 12));
  });

  it("lists the installations with their repositories on the start page", async () => {
    const start = await client.get("/dashboard");
    expect(start.text).toContain('href="/dashboard/installations/1"');
    expect(start.text).toContain('href="/dashboard/repos/acme/api"');
  });

  it("refuses a user who cannot access every repository the installation's figures include, without a figure", async () => {
    await writeFixture(service.prisma, new Date());
    fake.user = { login: "partial", id: 8, installations: { 1: ["acme/web"] } };
    const partial = new DashboardClient(service.url);
    await partial.signIn();
    const page = await partial.get("/dashboard/installations/1?days=30");
    expect(page.status).toBe(403);
    expect(page.text).toContain("repositories you cannot access");
    expect(pageFigures(page.text)).toEqual({});
    expect((await partial.get("/dashboard/installations/1/evidence/lead_time?days=30")).status).toBe(403);
    // The repository it can access still opens.
    expect((await partial.get("/dashboard/repos/acme/web?days=30")).status).toBe(200);
  });

  it("answers 404 for an installation the user has no repository of, as for one that does not exist", async () => {
    await writeFixture(service.prisma, new Date());
    expect((await client.get("/dashboard/installations/2")).status).toBe(404);
    expect((await client.get("/dashboard/installations/1x")).status).toBe(404);
  });
});

describe("team records", () => {
  beforeEach(async () => {
    const rows = [
      { cycleId: "CYC-001", featureId: "FEAT-1", phaseName: "planning", decision: "go", createdAt: new Date("2026-10-01T10:00:00Z") },
      { cycleId: "CYC-002", featureId: "FEAT-1", phaseName: "testing", decision: "no-go", createdAt: new Date("2026-10-05T10:00:00Z") },
      { cycleId: "CYC-003", featureId: "FEAT-2", phaseName: "deployment", decision: "go", createdAt: new Date("2026-10-09T10:00:00Z") },
      ...Array.from({ length: 30 }, (_, index) => ({ cycleId: `BULK-${String(index).padStart(3, "0")}`, featureId: "FEAT-9", phaseName: "maintenance", decision: "review", createdAt: new Date(Date.UTC(2026, 8, 1, 0, index)) })),
    ];
    await service.prisma.teamMetric.createMany({ data: rows.map((row) => ({ ...row, durationSeconds: "1.00", metadata: {} })) });
  });

  const cycles = (text: string) => [...text.matchAll(/<tr><td>([A-Z]+-\d+)<\/td>/g)].map((match) => match[1]);

  it("filters by phase, decision and date, and searches cycle and feature ids", async () => {
    expect(cycles((await client.get("/dashboard/records?phase=testing")).text)).toEqual(["CYC-002"]);
    expect(cycles((await client.get("/dashboard/records?decision=go")).text)).toEqual(["CYC-003", "CYC-001"]);
    expect(cycles((await client.get("/dashboard/records?from=2026-10-02&to=2026-10-09")).text)).toEqual(["CYC-003", "CYC-002"]);
    expect(cycles((await client.get("/dashboard/records?q=FEAT-1")).text)).toEqual(["CYC-002", "CYC-001"]);
    expect(cycles((await client.get("/dashboard/records?q=CYC-003")).text)).toEqual(["CYC-003"]);
  });

  it("pages 25 at a time, newest first", async () => {
    const first = await client.get("/dashboard/records");
    expect(cycles(first.text)).toHaveLength(25);
    expect(cycles(first.text)[0]).toBe("CYC-003");
    expect(first.text).toContain("Page 1 of 2 (33)");
    const second = await client.get("/dashboard/records?page=2");
    expect(cycles(second.text)).toEqual(["BULK-007", "BULK-006", "BULK-005", "BULK-004", "BULK-003", "BULK-002", "BULK-001", "BULK-000"]);
  });

  it("refuses an unknown phase or a malformed date with 400 naming the field", async () => {
    const answer = await client.get("/dashboard/records?phase=launch&from=yesterday");
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("phase");
    expect(answer.text).toContain("from must be a date such as 2026-11-01");
  });
});

describe("operations", () => {
  it("shows the inbox counts and the check runs of the user's repositories only", async () => {
    await appendAudit(service.prisma, { actor: "github:octocat", action: "check_runs.published", target: "acme/web@abc123", details: { trigger: "pull_request", runs: [{ check: "iact/restrictions", conclusion: "failure" }] } });
    await appendAudit(service.prisma, { actor: "github:octocat", action: "check_runs.published", target: "other/secret@def456", details: { trigger: "push", runs: [{ check: "iact/docs", conclusion: "success" }] } });
    const page = await client.get("/dashboard/operations");
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-count="pending">0<');
    expect(page.text).toContain("acme/web@abc123");
    expect(page.text).toContain("failure");
    expect(page.text).not.toContain("other/secret");
  });

  it("shows each component's latest health and how many of the last day's snapshots found it healthy", async () => {
    const now = Date.now();
    const minutes = (count: number) => new Date(now - count * 60_000);
    await writeHealthSnapshot(service.prisma, { takenAt: minutes(60 * 25), instance: "old", ok: false, components: { mysql: { ok: false, error: "older than a day" } } });
    await writeHealthSnapshot(service.prisma, { takenAt: minutes(15), instance: "a", ok: true, components: { mysql: { ok: true }, worker: { ok: true } } });
    await writeHealthSnapshot(service.prisma, { takenAt: minutes(10), instance: "a", ok: false, components: { mysql: { ok: true }, worker: { ok: false, error: "poll failed: <b>ECONNREFUSED</b>" } } });
    await writeHealthSnapshot(service.prisma, { takenAt: minutes(5), instance: "a", ok: true, components: { mysql: { ok: true } } });
    const page = await client.get("/dashboard/operations");
    expect(page.status).toBe(200);
    const row = (component: string) => new RegExp(`<tr data-component="${component}">(.*?)</tr>`).exec(page.text)?.[1] ?? "";
    expect(row("mysql")).toContain(">healthy<");
    expect(row("mysql")).toContain("3 / 3");
    // The worker's latest state is the 10-minute-old snapshot's, escaped.
    expect(row("worker")).toContain(">unhealthy<");
    expect(row("worker")).toContain("1 / 2");
    expect(row("worker")).toContain("&lt;b&gt;ECONNREFUSED&lt;/b&gt;");
    expect(page.text).not.toContain("older than a day");
  });
});

describe("language", () => {
  it("follows Accept-Language, then a ?lang= choice remembered in a cookie", async () => {
    expect((await client.get("/dashboard", { "accept-language": "es-ES,es;q=0.9,en;q=0.8" })).text).toContain('<html lang="es">');
    expect((await client.get("/dashboard", { "accept-language": "fr, en;q=0.5" })).text).toContain('<html lang="en">');
    const chosen = await client.get("/dashboard?lang=es", { "accept-language": "en" });
    expect(chosen.text).toContain("Repositorios");
    expect((await client.get("/dashboard/records", { "accept-language": "en" })).text).toContain("Registros del equipo");
  });
});
