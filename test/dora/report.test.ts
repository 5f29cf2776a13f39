import { describe, expect, it } from "vitest";
import { computeDoraByEnvironment, computeDoraReport, type DoraInput } from "../../src/dora/index.js";
import { at, attempt, change, deployment, incident, pullRequest, sha, shuffled } from "./builders.js";

// One repo, acme/shop, over two ISO weeks: window [Mon 4 Mar 2024, Mon 18 Mar 2024) = 14 days,
// W10 = 4-10 Mar, W11 = 11-17 Mar. Production environments: "production" and "prod-eu"; plus "staging".
//
// production: P0 26 Feb 10:00 (before the window)  b0 "Initial"                         (Feb 25 10:00)
//             P1  4 Mar 10:00  PR#1 squash s1 + PR#2 (c2a, c2b, merge m2) + direct push d3 "Bump version" (4 Mar 09:45)
//             P2  6 Mar 12:00  PR#4 "Refactor checkout" (merge e2)
//             P3  7 Mar 10:00  direct push e3 "Tweak copy" (7 Mar 09:00)
//             P4  7 Mar 14:00  direct push f4 'Revert "Refactor checkout"' + "This reverts commit e2..." (13:30)
//             P5 12 Mar 10:00  PR#6 "Add wishlist" (merge a5)
//             P6 12 Mar 11:00  redeploys f4 (deployed by P4 before P5): a ROLLBACK from P5; no changes
//             P7 14 Mar 16:00  PR#8 "Fix payment rounding" from branch hotfix/payment-rounding (merge a7)
// prod-eu:    E1  5 Mar 10:00  FIRST deploy of prod-eu: every change up to d3, b0 included
//             E2 14 Mar 13:00  e2, e3, f4, a5, a7 (the revert f4 ships WITH e2: not a failure of E2)
// staging:    S1  4 Mar 09:54  first deploy: s1, c2a, c2b, m2, d3
//             S2 12 Mar 09:30  e2, e3, f4, a5
// Incidents:  I0 27 Feb 09:00-10:00 (before the window: not reported)
//             I1  7 Mar 12:00-15:00 "Root cause: <e2, 7 chars>": P2, although P3 deployed later (3 h)
//             I2 15 Mar 10:00-12:00 no root cause: latest production deploy P7 18 h before -> window (2 h)
//             I3 17 Mar 20:00-23:00 latest production deploy P7 76 h before > 48 h: unattributed (3 h)
//             I4 10 Mar 09:00, closed 20 Mar (after `to`, so open), root cause 0123abc matches nothing,
//                latest production deploy P4 67 h before: unattributed and open
// Attempts:   A0 1 Mar production (before), A1 6 Mar production, A2 5 Mar staging, A3 9 Mar prod-eu
const PRS = [
  pullRequest(
    1,
    "Add cart",
    { firstCommit: "2024-03-01 09:00", opened: "2024-03-01 12:00", firstReview: "2024-03-01 14:00", merged: "2024-03-04 08:00" },
    { mergeCommitSha: sha("51") },
  ),
  pullRequest(
    2,
    "Add search",
    { firstCommit: "2024-03-03 10:00", opened: "2024-03-03 16:00", firstReview: "2024-03-04 09:00", merged: "2024-03-04 09:30" },
    { mergeCommitSha: sha("d2") },
  ),
  pullRequest(
    4,
    "Refactor checkout",
    { firstCommit: "2024-03-05 12:00", opened: "2024-03-05 13:00", firstReview: "2024-03-05 15:00", merged: "2024-03-06 11:00" },
    { mergeCommitSha: sha("e2") },
  ),
  pullRequest(6, "Add wishlist", { firstCommit: "2024-03-11 10:00", opened: "2024-03-11 11:00", merged: "2024-03-12 09:00" }, {
    mergeCommitSha: sha("a5"),
  }),
  pullRequest(
    8,
    "Fix payment rounding",
    { firstCommit: "2024-03-14 10:00", opened: "2024-03-14 10:30", firstReview: "2024-03-14 11:00", merged: "2024-03-14 11:30" },
    { mergeCommitSha: sha("a7"), headRef: "hotfix/payment-rounding" },
  ),
];

const REVERT_MESSAGE = `Revert "Refactor checkout"\n\nThis reverts commit ${sha("e2")}.`;
const upToD3 = (deploymentId: string) => [
  change(deploymentId, "51", "2024-03-04 08:00", "Add cart (#1)", 1),
  change(deploymentId, "c2a", "2024-03-03 10:00", "Search index", 2),
  change(deploymentId, "c2b", "2024-03-03 15:00", "Search box", 2),
  change(deploymentId, "d2", "2024-03-04 09:30", "Merge pull request #2", 2),
  change(deploymentId, "d3", "2024-03-04 09:45", "Bump version"),
];
const e2ToA5 = (deploymentId: string) => [
  change(deploymentId, "e2", "2024-03-06 11:00", "Merge pull request #4", 4),
  change(deploymentId, "e3", "2024-03-07 09:00", "Tweak copy"),
  change(deploymentId, "f4", "2024-03-07 13:30", REVERT_MESSAGE),
  change(deploymentId, "a5", "2024-03-12 09:00", "Merge pull request #6", 6),
];

const INPUT: DoraInput = {
  deployments: [
    deployment("P0", "production", "b0", "2024-02-26 10:00"),
    deployment("P1", "production", "d3", "2024-03-04 10:00"),
    deployment("P2", "production", "e2", "2024-03-06 12:00"),
    deployment("P3", "production", "e3", "2024-03-07 10:00"),
    deployment("P4", "production", "f4", "2024-03-07 14:00"),
    deployment("P5", "production", "a5", "2024-03-12 10:00"),
    deployment("P6", "production", "f4", "2024-03-12 11:00"),
    deployment("P7", "production", "a7", "2024-03-14 16:00"),
    deployment("E1", "prod-eu", "d3", "2024-03-05 10:00"),
    deployment("E2", "prod-eu", "a7", "2024-03-14 13:00"),
    deployment("S1", "staging", "d3", "2024-03-04 09:54"),
    deployment("S2", "staging", "a5", "2024-03-12 09:30"),
  ],
  attempts: [
    attempt("A0", "production", "2024-03-01 10:00"),
    attempt("A1", "production", "2024-03-06 11:00"),
    attempt("A2", "staging", "2024-03-05 10:00"),
    attempt("A3", "prod-eu", "2024-03-09 10:00"),
  ],
  changes: [
    change("P0", "b0", "2024-02-25 10:00", "Initial"),
    ...upToD3("P1"),
    change("P2", "e2", "2024-03-06 11:00", "Merge pull request #4", 4),
    change("P3", "e3", "2024-03-07 09:00", "Tweak copy"),
    change("P4", "f4", "2024-03-07 13:30", REVERT_MESSAGE),
    change("P5", "a5", "2024-03-12 09:00", "Merge pull request #6", 6),
    change("P7", "a7", "2024-03-14 11:30", "Merge pull request #8", 8),
    change("E1", "b0", "2024-02-25 10:00", "Initial"),
    ...upToD3("E1"),
    ...e2ToA5("E2"),
    change("E2", "a7", "2024-03-14 11:30", "Merge pull request #8", 8),
    ...upToD3("S1"),
    ...e2ToA5("S2"),
  ],
  pullRequests: PRS,
  incidents: [
    incident("I0", "2024-02-27 09:00", "2024-02-27 10:00"),
    incident("I1", "2024-03-07 12:00", "2024-03-07 15:00", { rootCauseSha: sha("e2").slice(0, 7) }),
    incident("I2", "2024-03-15 10:00", "2024-03-15 12:00"),
    incident("I3", "2024-03-17 20:00", "2024-03-17 23:00"),
    incident("I4", "2024-03-10 09:00", "2024-03-20 09:00", { rootCauseSha: "0123abc" }),
  ],
};
// The default production pattern /^prod(uction)?$/i would leave prod-eu out: configure both as production.
const WINDOW = {
  from: at("2024-03-04 00:00"),
  to: at("2024-03-18 00:00"),
  productionPatterns: [/^prod(uction)?$/i, /^prod-[a-z]+$/i],
};

describe("computeDoraReport, production environments together", () => {
  const report = computeDoraReport(INPUT, WINDOW);

  it("measures deployment frequency over production and prod-eu", () => {
    // P1 E1 P2 P3 P4 P5 P6 E2 P7 = 9 deployments on 4, 5, 6, 7, 12, 14 Mar = 6 deploy-days.
    // W10: 4 deploy-days, W11: 2 -> median 3. per day 9/14, per week 4.5, per month 9 x 30.4375 / 14.
    expect(report.window).toEqual({ from: "2024-03-04T00:00:00.000Z", to: "2024-03-18T00:00:00.000Z", days: 14 });
    expect(report.deployment_frequency).toEqual({
      deployments: 9,
      deploy_days: 6,
      per_day: 9 / 14,
      per_week: 4.5,
      per_month: (9 * 30.4375) / 14,
      median_deploy_days_per_week: 3,
    });
    expect(report.evidence.deployments).toEqual(["P1", "E1", "P2", "P3", "P4", "P5", "P6", "E2", "P7"]);
  });

  it("measures lead time per PR per deployment, squash merges from the PR's first commit", () => {
    // P1: PR#1 1 Mar 09:00 -> 4 Mar 10:00 = 73; PR#2 3 Mar 10:00 -> 24; d3 09:45 -> 0.25
    // E1 (first deploy, all changes): PR#1 97; PR#2 48; b0 25 Feb 10:00 -> 5 Mar 10:00 = 216; d3 24.25
    // P2: PR#4 5 Mar 12:00 -> 6 Mar 12:00 = 24; P3: e3 1; P4: f4 0.5; P5: PR#6 24; P6: none
    // E2: PR#4 217; PR#6 75; PR#8 3; e3 172; f4 167.5; P7: PR#8 14 Mar 10:00 -> 16:00 = 6
    // 17 sorted: 0.25 0.5 1 3 6 24 24 24 [24.25] 48 73 75 97 167.5 172 216 217
    // median = 9th = 24.25; p90: h = 16 x 0.9 = 14.4 -> 172 + 0.4 x (216 - 172) = 189.6
    expect(report.lead_time_hours.count).toBe(17);
    expect(report.lead_time_hours.median).toBe(24.25);
    expect(report.lead_time_hours.p90).toBeCloseTo(189.6, 10);
    // Breakdown over the 10 PR items:
    // coding  3 6 3 6 1 1 1 1 0.5 0.5            -> sorted 0.5 0.5 1 1 [1 1] 3 3 6 6 -> 1
    // pickup  2 17 2 17 2 2 0.5 0.5 (PR#6 has no review) -> 0.5 0.5 2 [2 2] 2 17 17 -> 2
    // review  66 0.5 66 0.5 20 20 0.5 0.5       -> 0.5 0.5 0.5 [0.5 20] 20 66 66 -> 10.25
    // deploy  2 0.5 26 24.5 1 1 194 52 1.5 4.5  -> 0.5 1 1 1.5 [2 4.5] 24.5 26 52 194 -> 3.25
    expect(report.lead_time_hours.breakdown).toEqual({ coding: 1, pickup: 2, review: 10.25, deploy: 3.25 });
    expect(report.evidence.changes.slice(0, 3)).toEqual([
      { deployment_id: "P1", sha: sha("51"), pull_request: { repo: "acme/shop", number: 1 }, lead_time_hours: 73 },
      { deployment_id: "P1", sha: sha("d2"), pull_request: { repo: "acme/shop", number: 2 }, lead_time_hours: 24 },
      { deployment_id: "P1", sha: sha("d3"), lead_time_hours: 0.25 },
    ]);
  });

  it("finds failed deployments by incident, rollback and revert, and keeps attempts out", () => {
    // P2: I1 (root cause e2, short sha, despite the later P3) and the revert f4 shipped later by P4.
    // P5: rolled back by P6. P7: I2 by the 48 h window. E2 shipped e2 and its revert together: not failed.
    // 3 of 9 -> 1/3. Attempts in the window on production + prod-eu: A1, A3 = 2 (A2 is staging, A0 before).
    expect(report.evidence.failed_deployments).toEqual([
      { deployment_id: "P2", reasons: ["incident", "revert"], incident_ids: ["I1"] },
      { deployment_id: "P5", reasons: ["rollback"] },
      { deployment_id: "P7", reasons: ["incident"], incident_ids: ["I2"] },
    ]);
    expect(report.failed_deployments).toBe(3);
    expect(report.change_failure_rate).toBe(1 / 3);
    expect(report.failed_deployment_attempts).toBe(2);
  });

  it("attributes incidents and measures time to restore, unattributed ones included", () => {
    // Closed: I1 3 h, I2 2 h, I3 3 h -> median 3; p90 h = 1.8 -> 3 + 0.8 x 0 = 3. I4 open (closed after `to`).
    expect(report.evidence.incidents).toEqual([
      { id: "I1", attributed_to: "P2", how: "root_cause", restore_hours: 3 },
      { id: "I4", attributed_to: null, how: null, restore_hours: null },
      { id: "I2", attributed_to: "P7", how: "window", restore_hours: 2 },
      { id: "I3", attributed_to: null, how: null, restore_hours: 3 },
    ]);
    expect(report.time_to_restore_hours).toEqual({ median: 3, p90: 3, count: 3, open: 1 });
    // P2: next production deployment P3 after 22 h beats I1 closing after 27 h; P5: P6 after 1 h;
    // P7: no next deployment, I2 closed after 20 h. Median of 1, 20, 22 = 20.
    expect(report.failed_deployment_recovery_hours).toEqual({ median: 20, count: 3 });
  });

  it("measures rework: reverts, hotfixes, deploys during an incident of an earlier deploy, rollbacks", () => {
    // P4 (revert; during I1, caused by P2), P6 (rollback), E2 (revert f4 + hotfix branch), P7 (hotfix): 4 / 9.
    expect(report.rework_rate).toBe(4 / 9);
  });

  it("classifies against 2023 and checks the team's targets", () => {
    // DF median 3 deploy-days/week -> high; lead 24.25 h -> high (not < 24); CFR 0.33 -> low; restore 3 h -> high.
    expect(report.classification).toEqual({
      benchmark_year: 2023,
      deployment_frequency: "high",
      lead_time: "high",
      change_failure_rate: "low",
      time_to_restore: "high",
    });
    expect(report.targets).toEqual({
      deployment_frequency: { target: 1, actual: 4.5, met: true },
      lead_time_hours: { target: 48, actual: 24.25, met: true },
      change_failure_rate: { target: 0.15, actual: 1 / 3, met: false },
      time_to_restore_hours: { target: 4, actual: 3, met: true },
    });
  });

  it("classifies against 2021 when asked", () => {
    // DF: median 3 < 5, 6 deploy-days x 30.4375 / 14 = 13 per month >= 1 -> high; lead 24.25 < 168 -> high.
    expect(computeDoraReport(INPUT, { ...WINDOW, benchmarkYear: 2021 }).classification).toEqual({
      benchmark_year: 2021,
      deployment_frequency: "high",
      lead_time: "high",
      change_failure_rate: "low",
      time_to_restore: "high",
    });
  });

  it("narrows the attribution window when configured", () => {
    // 12 h: I2 opened 18 h after P7 is no longer attributed; P7 is not failed; CFR 2 / 9.
    const narrow = computeDoraReport(INPUT, { ...WINDOW, incidentWindowHours: 12 });
    expect(narrow.evidence.incidents.find((entry) => entry.id === "I2")).toMatchObject({ attributed_to: null, how: null });
    expect(narrow.change_failure_rate).toBe(2 / 9);
  });

  it("gives identical output for shuffled and duplicated input (records deduped by id)", () => {
    for (const seed of [1, 2, 3, 42]) {
      const noisy: DoraInput = {
        deployments: shuffled([...INPUT.deployments, ...INPUT.deployments.slice(0, 4)], seed),
        attempts: shuffled([...INPUT.attempts, ...INPUT.attempts], seed),
        changes: shuffled([...INPUT.changes, ...INPUT.changes.slice(3, 9)], seed),
        pullRequests: shuffled([...INPUT.pullRequests, ...INPUT.pullRequests], seed),
        incidents: shuffled([...INPUT.incidents, ...INPUT.incidents.map((entry) => ({ ...entry }))], seed),
      };
      expect(computeDoraByEnvironment(noisy, WINDOW)).toEqual(computeDoraByEnvironment(INPUT, WINDOW));
    }
  });

  it("refuses an empty or inverted window", () => {
    expect(() => computeDoraReport(INPUT, { from: WINDOW.to, to: WINDOW.from })).toThrow(/from < to/);
  });

  it("leaves prod-eu out of production with the default pattern", () => {
    const defaults = computeDoraReport(INPUT, { from: WINDOW.from, to: WINDOW.to });
    expect(defaults.evidence.deployments).toEqual(["P1", "P2", "P3", "P4", "P5", "P6", "P7"]);
  });
});

describe("computeDoraByEnvironment", () => {
  const byEnvironment = computeDoraByEnvironment(INPUT, WINDOW);

  it("puts production together at the top and every environment on its own", () => {
    const { environments, ...top } = byEnvironment;
    expect(top).toEqual(computeDoraReport(INPUT, WINDOW));
    expect(Object.keys(environments)).toEqual(["prod-eu", "production", "staging"]);
  });

  it("measures production alone", () => {
    // P1..P7 in the window = 7; failed P2, P5, P7 -> 3/7; all four incidents live in production.
    const production = byEnvironment.environments["production"];
    expect(production?.deployment_frequency.deployments).toBe(7);
    expect(production?.change_failure_rate).toBe(3 / 7);
    expect(production?.failed_deployment_attempts).toBe(1);
    expect(production?.time_to_restore_hours).toEqual({ median: 3, p90: 3, count: 3, open: 1 });
    // rework P4, P6, P7 -> 3/7
    expect(production?.rework_rate).toBe(3 / 7);
  });

  it("measures prod-eu alone, its first deployment counting all its changes", () => {
    // E1: PR#1 97, PR#2 48, b0 216, d3 24.25; E2: PR#4 217, PR#6 75, PR#8 3, e3 172, f4 167.5.
    // 9 sorted: 3 24.25 48 75 [97] 167.5 172 216 217 -> median 97.
    const prodEu = byEnvironment.environments["prod-eu"];
    expect(prodEu?.lead_time_hours).toMatchObject({ count: 9, median: 97 });
    expect(prodEu?.change_failure_rate).toBe(0);
    expect(prodEu?.failed_deployment_attempts).toBe(1);
    // Incidents attributed to production deployments are production's; unattributed ones (I3, I4) belong to
    // every production environment: I3 closed in 3 h, I4 open.
    expect(prodEu?.time_to_restore_hours).toEqual({ median: 3, p90: 3, count: 1, open: 1 });
    expect(prodEu?.evidence.incidents.map((entry) => entry.id)).toEqual(["I4", "I3"]);
    expect(prodEu?.rework_rate).toBe(1 / 2);
  });

  it("measures staging alone, with no production incidents", () => {
    // S1: PR#1 1 Mar 09:00 -> 4 Mar 09:54 = 72.9, PR#2 23.9, d3 0.15;
    // S2 (12 Mar 09:30): PR#4 165.5, PR#6 23.5, e3 120.5, f4 116. Sorted: 0.15 23.5 23.9 [72.9] 116 120.5 165.5.
    const staging = byEnvironment.environments["staging"];
    expect(staging?.deployment_frequency).toEqual({
      deployments: 2,
      deploy_days: 2,
      per_day: 2 / 14,
      per_week: 1,
      per_month: (2 * 30.4375) / 14,
      median_deploy_days_per_week: 1,
    });
    expect(staging?.lead_time_hours.median).toBe(72.9);
    // The revert f4 ships with e2 in S2: no failure. S2 carries a revert: rework 1/2.
    expect(staging?.change_failure_rate).toBe(0);
    expect(staging?.rework_rate).toBe(1 / 2);
    expect(staging?.failed_deployment_attempts).toBe(1);
    expect(staging?.time_to_restore_hours).toEqual({ median: null, p90: null, count: 0, open: 0 });
    expect(staging?.classification.time_to_restore).toBeNull();
    expect(staging?.targets.time_to_restore_hours).toEqual({ target: 4, actual: null, met: null });
  });

  it("equals computeDoraReport with options.environment", () => {
    expect(byEnvironment.environments["staging"]).toEqual(computeDoraReport(INPUT, { ...WINDOW, environment: "staging" }));
  });
});

describe("a report with nothing in it", () => {
  it("gives null rates and classifications, zero counts", () => {
    const empty = computeDoraReport({ deployments: [], attempts: [], changes: [], pullRequests: [], incidents: [] }, WINDOW);
    expect(empty.change_failure_rate).toBeNull();
    expect(empty.rework_rate).toBeNull();
    expect(empty.lead_time_hours).toEqual({
      median: null,
      p90: null,
      count: 0,
      breakdown: { coding: null, pickup: null, review: null, deploy: null },
    });
    expect(empty.deployment_frequency.median_deploy_days_per_week).toBe(0);
    expect(empty.classification).toMatchObject({ deployment_frequency: "low", lead_time: null, change_failure_rate: null });
    expect(empty.targets.deployment_frequency).toEqual({ target: 1, actual: 0, met: false });
  });
});
