// DORA capture end to end against the real database: one hand-checked
// history (fake-github.ts, shopHistory) fed as webhooks in order, out of
// order, twice, and as a REST backfill; every way must give the same report.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import { createPrismaClient } from "../../../src/store/prisma.js";
import type { PrismaClient } from "../../../src/store/prisma.js";
import { findChanges, findDeployments } from "../../../src/store/dora-records.js";
import { testDatabaseSettings, truncateAllTables } from "../../support/database.js";
import { REPO, sha, shopHistory } from "./fake-github.js";
import type { FakeRepo } from "./fake-github.js";
import { backfill, probotWithCapture, receiveAll, report, resetGitHub, snapshot, TO } from "./scenario.js";
import type { CapturingProbot } from "./scenario.js";

const HOUR = 1;

describe("DORA capture", () => {
  let prisma: PrismaClient;
  let probot: CapturingProbot;
  let history: FakeRepo;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
    prisma = createPrismaClient(testDatabaseSettings());
  });

  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await prisma.$disconnect();
  });

  beforeEach(async () => {
    await truncateAllTables();
    history = shopHistory();
    resetGitHub(history);
    probot = await probotWithCapture(prisma);
  });

  it("turns the orderly webhook stream into the hand-computed figures", async () => {
    await receiveAll(probot, history.deliveries());
    const figures = await report(prisma);

    // Production: deployment 100 (c0, first: head commit only) and 101 (d1).
    expect(figures.evidence.deployments).toEqual(["deployment:100", "deployment:101"]);
    expect(figures.deployment_frequency.deployments).toBe(2);
    // Lead times: c0 3h05 (first deploy, direct), PR #1 from a1 30h, PR #2 from b1 5h, d1 direct 3h.
    expect(figures.lead_time_hours.count).toBe(4);
    expect(figures.lead_time_hours.median).toBeCloseTo((3 + 5 / 60 + 5) / 2, 6);
    const leadTimes = Object.fromEntries(figures.evidence.changes.map((change) => [change.pull_request ? `#${change.pull_request.number}` : change.sha.slice(0, 6), change.lead_time_hours]));
    expect(leadTimes["#1"]).toBeCloseTo(30 * HOUR, 6);
    expect(leadTimes["#2"]).toBeCloseTo(5 * HOUR, 6);
    // Breakdown over the PR changes (#1, #2): first reviews by someone other
    // than the author, before the merge (#1 19:00 after 15:00 -> merged 10:00
    // next day; #2 11:40 after 11:10 -> merged 12:00).
    expect(figures.lead_time_hours.breakdown.pickup).toBeCloseTo((4 + 0.5) / 2, 6);
    expect(figures.lead_time_hours.breakdown.review).toBeCloseTo((15 + 20 / 60) / 2, 6);
    const pullRequests = await prisma.doraPullRequest.findMany({ orderBy: { number: "asc" }, select: { number: true, firstReviewAt: true } });
    expect(pullRequests).toEqual([
      { number: 1, firstReviewAt: new Date("2024-03-02T19:00:00Z") },
      { number: 2, firstReviewAt: new Date("2024-03-03T11:40:00Z") },
    ]);
    // Incident #10 names s1 (squash commit of PR #1, shipped by 101) as root cause; restored in 2 h.
    expect(figures.evidence.incidents).toEqual([{ id: `${REPO}#10`, attributed_to: "deployment:101", how: "root_cause", restore_hours: 2 }]);
    expect(figures.change_failure_rate).toBe(0.5);
    expect(figures.failed_deployment_attempts).toBe(1);
    expect(figures.time_to_restore_hours.median).toBe(2);
    // Staging on its own: its first deployment counts m2 only, linked to PR #2.
    expect(figures.environments.staging?.evidence.changes).toEqual([{ deployment_id: "deployment:200", sha: sha("m2"), pull_request: { repo: REPO, number: 2 }, lead_time_hours: 1.5 }]);

    // Several merges in one deploy, squash and merge commits linked to their PRs, the direct push unlinked.
    const changes = await findChanges(prisma, ["deployment:101"]);
    expect(changes.map((change) => [change.sha, change.pullRequest?.number ?? null])).toEqual([
      [sha("b1"), 2],
      [sha("d1"), null],
      [sha("m2"), 2],
      [sha("s1"), 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    const [production] = await findDeployments(prisma, ["deployment:101"]);
    expect(production).toMatchObject({ environment: "production", state: "inactive", changeCount: 4, deployedAt: new Date("2024-03-03T16:00:00Z") });
  });

  it("gives the same rows and figures when every delivery arrives in reverse order", async () => {
    await receiveAll(probot, history.deliveries());
    const orderly = { rows: await snapshot(prisma), figures: await report(prisma) };

    await truncateAllTables();
    resetGitHub(history);
    await receiveAll(probot, history.deliveries().reverse());
    expect(await report(prisma)).toEqual(orderly.figures);
    expect(await snapshot(prisma)).toEqual(orderly.rows);
  });

  it("gives the same result when statuses come before their deployments, shuffled", async () => {
    await receiveAll(probot, history.deliveries());
    const orderly = await snapshot(prisma);

    await truncateAllTables();
    resetGitHub(history);
    const deliveries = history.deliveries();
    const statusesFirst = [...deliveries.filter((delivery) => delivery.event === "deployment_status").reverse(), ...deliveries.filter((delivery) => delivery.event !== "deployment_status").reverse()];
    await receiveAll(probot, statusesFirst);
    expect(await snapshot(prisma)).toEqual(orderly);
  });

  it("does not double-count the same events redelivered under new delivery ids", async () => {
    await receiveAll(probot, history.deliveries());
    const once = { rows: await snapshot(prisma), figures: await report(prisma) };
    const callsAfterFirst = history.calls.length;
    await receiveAll(probot, history.deliveries());
    expect(await snapshot(prisma)).toEqual(once.rows);
    expect(await report(prisma)).toEqual(once.figures);
    // Changes already current, reviews already listed: no compare or review call the second time.
    expect(history.calls.slice(callsAfterFirst).filter((call) => call.includes("/compare/") || call.includes("/reviews"))).toEqual([]);
  });

  it("backfill over REST gives the same figures as the webhooks", async () => {
    await receiveAll(probot, history.deliveries());
    const fromWebhooks = await report(prisma);

    await truncateAllTables();
    resetGitHub(history);
    await backfill(prisma, probot, TO);
    expect(await report(prisma)).toEqual(fromWebhooks);
    // The API measures a backfilled-only repository with the settings backfill used.
    expect(await prisma.doraRepoSettings.count({ where: { repo: REPO } })).toBe(1);
  });

  it("backfill twice, or after the webhooks, changes no row", async () => {
    await backfill(prisma, probot, TO);
    const once = await snapshot(prisma);
    await backfill(prisma, probot, TO);
    expect(await snapshot(prisma)).toEqual(once);

    await truncateAllTables();
    resetGitHub(history);
    await receiveAll(probot, history.deliveries());
    const fromWebhooks = await snapshot(prisma);
    await backfill(prisma, probot, TO);
    const after = await snapshot(prisma);
    // Issue #11 was unlabelled before the backfill: webhooks keep its row (not an incident), REST never lists it.
    expect(after).toEqual(fromWebhooks);
  });

  it("recomputes the next deployment's changes when an earlier one arrives late", async () => {
    const deliveries = history.deliveries().filter((delivery) => delivery.event.startsWith("deployment"));
    const late = deliveries.filter((delivery) => (delivery.payload.deployment as { id: number }).id === 100);
    await receiveAll(probot, deliveries.filter((delivery) => !late.includes(delivery)));
    // Alone, 101 is the first production deployment: its head commit only.
    expect((await findChanges(prisma, ["deployment:101"])).map((change) => change.sha)).toEqual([sha("d1")]);
    await receiveAll(probot, late);
    expect((await findChanges(prisma, ["deployment:101"])).map((change) => change.sha).sort()).toEqual([sha("b1"), sha("d1"), sha("m2"), sha("s1")].sort());
  });
});
