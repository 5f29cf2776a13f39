// The contract's report from raw figures: classification by benchmark year
// and the team's targets, the same for the exact and the rollup paths.
import { describe, expect, it } from "vitest";
import { assembleReport, DEFAULT_TARGETS } from "../../src/dora/index.js";
import type { RawFigures } from "../../src/dora/index.js";

function figures(overrides: Partial<RawFigures> = {}): RawFigures {
  return {
    window: { from: new Date("2024-03-04T00:00:00Z"), to: new Date("2024-03-18T00:00:00Z"), days: 14 },
    frequency: { deployments: 9, deployDays: 6, perDay: 9 / 14, perWeek: 4.5, perMonth: (9 * 30.4375) / 14, medianDeployDaysPerWeek: 3 },
    leadTime: { median: 24.25, p90: 189.6, count: 17, breakdown: { coding: 1, pickup: 2, review: 10.25, deploy: 3.25 } },
    changeFailureRate: 1 / 3,
    failedDeployments: 3,
    failedAttempts: 2,
    restore: { median: 3, p90: 3, count: 3, open: 1 },
    recovery: { median: 20, count: 3 },
    reworkRate: 4 / 9,
    ...overrides,
  };
}

describe("assembleReport", () => {
  it("maps the figures to the contract's keys", () => {
    const report = assembleReport(figures(), {});
    expect(report.window).toEqual({ from: "2024-03-04T00:00:00.000Z", to: "2024-03-18T00:00:00.000Z", days: 14 });
    expect(report.deployment_frequency).toEqual({ deployments: 9, deploy_days: 6, per_day: 9 / 14, per_week: 4.5, per_month: (9 * 30.4375) / 14, median_deploy_days_per_week: 3 });
    expect(report.lead_time_hours).toEqual({ median: 24.25, p90: 189.6, count: 17, breakdown: { coding: 1, pickup: 2, review: 10.25, deploy: 3.25 } });
    expect([report.change_failure_rate, report.failed_deployments, report.failed_deployment_attempts, report.rework_rate]).toEqual([1 / 3, 3, 2, 4 / 9]);
    expect(report.time_to_restore_hours).toEqual({ median: 3, p90: 3, count: 3, open: 1 });
    expect(report.failed_deployment_recovery_hours).toEqual({ median: 20, count: 3 });
  });

  it.each([
    // year, median deploy-days/week, lead median, CFR, restore median -> levels
    [2023, 3, 24.25, 1 / 3, 3, { deployment_frequency: "high", lead_time: "high", change_failure_rate: "low", time_to_restore: "high" }],
    [2023, 5, 0.5, 0.04, 0.5, { deployment_frequency: "elite", lead_time: "elite", change_failure_rate: "elite", time_to_restore: "elite" }],
    [2021, 3, 24.25, 1 / 3, 3, { deployment_frequency: "high", lead_time: "high", change_failure_rate: "low", time_to_restore: "high" }],
    [2023, null, null, null, null, { deployment_frequency: null, lead_time: null, change_failure_rate: null, time_to_restore: null }],
  ] as const)("classifies against %s: df %s, lead %s, cfr %s, restore %s", (year, medianDays, lead, rate, restore, levels) => {
    const raw = figures({
      frequency: { ...figures().frequency, medianDeployDaysPerWeek: medianDays, deployDays: medianDays === null ? 0 : 6 },
      leadTime: { ...figures().leadTime, median: lead },
      changeFailureRate: rate,
      restore: { ...figures().restore, median: restore },
    });
    expect(assembleReport(raw, { benchmarkYear: year }).classification).toEqual({ benchmark_year: year, ...levels });
  });

  it("holds the figures against the team's targets: defaults, then overrides", () => {
    expect(assembleReport(figures(), {}).targets).toEqual({
      deployment_frequency: { target: DEFAULT_TARGETS.deploymentsPerWeek, actual: 4.5, met: true },
      lead_time_hours: { target: 48, actual: 24.25, met: true },
      change_failure_rate: { target: 0.15, actual: 1 / 3, met: false },
      time_to_restore_hours: { target: 4, actual: 3, met: true },
    });
    const strict = assembleReport(figures(), { targets: { deploymentsPerWeek: 5, leadTimeHours: 24 } }).targets;
    expect([strict.deployment_frequency.met, strict.lead_time_hours.met]).toEqual([false, false]);
  });
});
