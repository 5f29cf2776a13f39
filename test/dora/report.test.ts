import { describe, expect, it } from "vitest";
import { computeDoraByEnvironment, computeDoraReport, type DoraInput } from "../../src/dora/index.js";
import { sha, shuffled } from "./builders.js";
import { INPUT, WINDOW } from "./scenario.js";

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
