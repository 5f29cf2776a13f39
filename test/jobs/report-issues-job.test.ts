// The monthly DORA report issue job against the real MariaDB, GitHub faked
// with nock in its published shapes (test/support/fake-report-github.ts), on
// the known history of test/http/dora-fixture.ts (November 2026):
//   - two scheduler replicas on one database publish November's issue once;
//   - a second run for the same period updates that issue, not a new one, and
//     the hidden marker finds it even when the database lost its record;
//   - the issue's Markdown matches the expected files in both locales, with
//     the previous period's issue linked, and its figures are the measurer's
//     (the API's) for the month;
//   - a broken reports section is reported (run outcome, counts) while the
//     other repositories get their issue;
//   - a 403 secondary rate limit is waited out (retry-after) and a 500 only
//     delays the repository to the next run.
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import pino from "pino";
import { duePeriod, REPORT_ISSUES_JOB } from "../../src/jobs/report-issues-job.js";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import { headlineOf, monthWindow } from "../../src/reports/build.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { readBaseline } from "../../src/store/dora-reports.js";
import { recentJobRuns } from "../../src/store/job-runs.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { writeFixture } from "../http/dora-fixture.js";
import { FakeReportGitHub, reportIssuesJobOnFake } from "../support/fake-report-github.js";
import type { FakeRepository } from "../support/fake-report-github.js";
import { prismaForAllTests } from "../support/prisma.js";

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
/** The history ends 2026-11-28; the report of November is due at 06:00 UTC on 1 December. */
const HISTORY_END = new Date("2026-11-28T00:00:00Z");
const DUE = new Date("2026-12-01T06:00:00Z");
const NOW = new Date("2026-12-01T06:00:05Z");
const INSTALLATION = 4242;
const EXPECTED = (locale: string) => new URL(`../fixtures/reports/acme-web-2026-11.issue.${locale}.md`, import.meta.url);

const reportsOn = (extra = "") => `reports:\n  enabled: true\n  labels: [dora-report, metrics]\n  assignees: [octocat]\n${extra}`;

describe("monthly DORA report issues", () => {
  let prisma: PrismaClient;
  let measurer: DoraMeasurer;
  const schedulers: Scheduler[] = [];
  const waits: number[] = [];

  prismaForAllTests((client) => {
    prisma = client;
    measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log });
  });
  beforeEach(async () => {
    waits.length = 0;
    nock.disableNetConnect();
    await writeFixture(prisma, HISTORY_END);
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.stop()));
    await measurer.idle();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  function github(repositories: FakeRepository[]): FakeReportGitHub {
    const fake = new FakeReportGitHub([{ id: INSTALLATION, repositories }]);
    fake.intercept();
    return fake;
  }

  /** A replica: its own Probot, config cache and scheduler, on the shared database. */
  function replica(name: string): Scheduler {
    const job = reportIssuesJobOnFake({
      prisma,
      log,
      measurer,
      rateLimits: {
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
      now: () => NOW,
    });
    const scheduler = new Scheduler({ prisma, log, jobs: [job], instanceId: name, leaseSeconds: 60 });
    schedulers.push(scheduler);
    return scheduler;
  }

  it("two replicas firing at the due hour publish November's issue once, with the measurer's figures as the baseline", async () => {
    const fake = github([{ fullName: "acme/web", config: reportsOn() }, { fullName: "acme/api" }]);
    const results = await Promise.all([replica("a").runSlot(REPORT_ISSUES_JOB, DUE, "schedule"), replica("b").runSlot(REPORT_ISSUES_JOB, DUE, "schedule")]);
    expect(results.filter((result) => result.ran)).toHaveLength(1);
    expect(results.find((result) => result.ran)).toMatchObject({ outcome: "succeeded", counts: { repositories: 2, created: 1, disabled: 1, invalid: 0, failed: 0 } });
    const [issue] = fake.issues.get("acme/web")!;
    expect(fake.issues.get("acme/web")).toHaveLength(1);
    expect(issue).toMatchObject({ title: "DORA report 2026-11", labels: ["dora-report", "metrics"], assignees: ["octocat"] });
    expect(issue!.body).toContain("<!-- iact-bot:dora-report repo=acme/web period=2026-11 -->");
    expect(await prisma.doraReportIssue.findMany({ select: { repo: true, period: true, issueNumber: true, issueUrl: true } })).toEqual([
      { repo: "acme/web", period: "2026-11", issueNumber: 1, issueUrl: "https://github.com/acme/web/issues/1" },
    ]);
    const month = await measurer.measure({ repo: "acme/web", days: 30, window: monthWindow("2026-11") }, NOW);
    expect(await readBaseline(prisma, "acme/web")).toEqual({ period: "2026-11", figures: headlineOf(month.report) });

    // The next hour (and a catch-up at start) finds the period published: no GitHub write.
    const writes = fake.count("POST issue") + fake.count("PATCH issue");
    expect(await replica("c").runSlot(REPORT_ISSUES_JOB, new Date("2026-12-01T07:00:00Z"), "schedule")).toMatchObject({ outcome: "succeeded", counts: { "published-already": 1, created: 0 } });
    await replica("d").catchUp(new Date("2026-12-01T07:30:00Z"));
    expect(fake.count("POST issue") + fake.count("PATCH issue")).toBe(writes);
  });

  it.each(["en", "es"] as const)("renders the issue of a known history as the expected Markdown, the previous period's issue linked (%s)", async (locale) => {
    const fake = github([{ fullName: "acme/web", config: reportsOn(`  locale: ${locale}\n`) }]);
    const october = fake.seedIssue("acme/web", { title: "DORA report 2026-10", body: "…\n<!-- iact-bot:dora-report repo=acme/web period=2026-10 -->\n", labels: ["dora-report"], assignees: [], user: "bot" });
    await replica("a").runSlot(REPORT_ISSUES_JOB, DUE, "schedule");
    const issue = fake.issues.get("acme/web")![1]!;
    expect(issue.title).toBe(locale === "en" ? "DORA report 2026-11" : "Informe DORA 2026-11");
    expect(issue.body.startsWith(`${locale === "en" ? "Previous report" : "Informe anterior"}: #${october.number}\n`)).toBe(true);
    if (process.env.UPDATE_EXPECTED === "1") writeFileSync(EXPECTED(locale), issue.body);
    expect(issue.body).toBe(readFileSync(EXPECTED(locale), "utf8"));
  });

  it("a second run for the same period updates the one issue; the marker finds it when the database lost the record", async () => {
    const fake = github([{ fullName: "acme/web", config: reportsOn() }]);
    const scheduler = replica("a");
    await scheduler.runSlot(REPORT_ISSUES_JOB, DUE, "schedule");
    fake.issues.get("acme/web")![0]!.body = "edited by hand";

    expect(await scheduler.runNow(REPORT_ISSUES_JOB, new Date("2026-12-01T08:00:00Z"))).toMatchObject({ outcome: "succeeded", counts: { updated: 1, created: 0 } });
    expect(fake.issues.get("acme/web")).toHaveLength(1);
    expect(fake.issues.get("acme/web")![0]!.body).toContain("period=2026-11 -->");

    await prisma.doraReportIssue.deleteMany();
    expect(await scheduler.runSlot(REPORT_ISSUES_JOB, new Date("2026-12-01T09:00:00Z"), "schedule")).toMatchObject({ outcome: "succeeded", counts: { updated: 1, created: 0 } });
    expect(fake.issues.get("acme/web")).toHaveLength(1);
    expect(fake.count("POST issue")).toBe(1);
    expect(await prisma.doraReportIssue.count({ where: { repo: "acme/web", period: "2026-11", issueNumber: 1 } })).toBe(1);
    // Each issue written is in the audit log: created once, updated twice.
    const audit = await prisma.auditEntry.findMany({ orderBy: { id: "asc" }, select: { actor: true, action: true, target: true } });
    expect(audit).toEqual([
      { actor: "job:dora-report-issues", action: "report_issue.created", target: "acme/web#1" },
      { actor: "job:dora-report-issues", action: "report_issue.updated", target: "acme/web#1" },
      { actor: "job:dora-report-issues", action: "report_issue.updated", target: "acme/web#1" },
    ]);
  });

  it("reports a broken reports section with its line in the run's outcome, and still publishes the other repositories", async () => {
    const fake = github([
      { fullName: "acme/web", config: reportsOn() },
      { fullName: "acme/broken", config: "reports:\n  enabled: true\n  schedule: every month\n  locale: fr\n" },
    ]);
    const result = await replica("a").runSlot(REPORT_ISSUES_JOB, DUE, "schedule");
    expect(result).toMatchObject({ ran: true, outcome: "failed", counts: { repositories: 2, created: 1, invalid: 1 } });
    const error = result.ran ? result.error! : "";
    expect(error).toContain("acme/broken: invalid .github/iact.yml");
    expect(error).toMatch(/reports\.schedule \(line 3\): "every month" has 2 fields/);
    expect(error).toMatch(/reports\.locale \(line 4\)/);
    expect(fake.issues.get("acme/web")).toHaveLength(1);
    expect(fake.issues.get("acme/broken")).toHaveLength(0);
    const [run] = await recentJobRuns(prisma, REPORT_ISSUES_JOB);
    expect(run).toMatchObject({ status: "failed", counts: { created: 1, invalid: 1 } });
  });

  it("waits out a 403 secondary rate limit for its retry-after, then creates the issue", async () => {
    const fake = github([{ fullName: "acme/web", config: reportsOn() }]);
    fake.failNextIssueCreation({ status: 403, headers: { "retry-after": "7" }, message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." });
    expect(await replica("a").runSlot(REPORT_ISSUES_JOB, DUE, "schedule")).toMatchObject({ outcome: "succeeded", counts: { created: 1 } });
    expect(waits).toEqual([7_000]);
    expect(fake.count("POST issue")).toBe(2);
    expect(fake.issues.get("acme/web")).toHaveLength(1);
  });

  it("a GitHub error delays the repository: the run fails, the next hour publishes it", async () => {
    const fake = github([{ fullName: "acme/web", config: reportsOn() }]);
    fake.failNextIssueCreation({ status: 500, headers: {}, message: "Server Error" });
    expect(await replica("a").runSlot(REPORT_ISSUES_JOB, DUE, "schedule")).toMatchObject({ outcome: "failed", counts: { failed: 1, created: 0 } });
    expect(await prisma.doraReportIssue.count()).toBe(0);
    expect(await replica("b").runSlot(REPORT_ISSUES_JOB, new Date("2026-12-01T07:00:00Z"), "schedule")).toMatchObject({ outcome: "succeeded", counts: { created: 1 } });
    expect(fake.issues.get("acme/web")).toHaveLength(1);
  });

  it("reads each repository's schedule in its time zone to find the month due", () => {
    expect(duePeriod({ schedule: "0 6 1 * *", timezone: "UTC" }, new Date("2026-12-01T05:59:00Z"))).toBe("2026-10");
    expect(duePeriod({ schedule: "0 6 1 * *", timezone: "UTC" }, DUE)).toBe("2026-11");
    expect(duePeriod({ schedule: "0 6 1 * *", timezone: "America/Bogota" }, DUE)).toBe("2026-10");
    expect(duePeriod({ schedule: "0 6 1 * *", timezone: "America/Bogota" }, new Date("2026-12-01T11:00:00Z"))).toBe("2026-11");
    expect(duePeriod({ schedule: "0 6 1 1 *", timezone: "UTC" }, DUE)).toBeUndefined();
    expect(duePeriod({ schedule: "0 0 1 * *", timezone: "Asia/Tokyo" }, new Date("2026-11-30T15:00:00Z"))).toBe("2026-11");
  });
});
