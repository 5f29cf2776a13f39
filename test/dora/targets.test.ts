import { describe, expect, it } from "vitest";
import { DEFAULT_TARGETS, evaluateTargets } from "../../src/dora/index.js";

describe("the team's targets", () => {
  it("defaults to the plan: >= 1 deploy/week, lead time < 48 h, CFR < 0.15, restore < 4 h", () => {
    expect(DEFAULT_TARGETS).toEqual({
      deploymentsPerWeek: 1,
      leadTimeHours: 48,
      changeFailureRate: 0.15,
      timeToRestoreHours: 4,
    });
  });

  it.each([
    {
      name: "all met (deploy frequency boundary is inclusive)",
      actuals: { deploymentsPerWeek: 1, leadTimeMedianHours: 47.9, changeFailureRate: 0.149, timeToRestoreMedianHours: 3.9 },
      met: [true, true, true, true],
    },
    {
      name: "none met (the other boundaries are strict)",
      actuals: { deploymentsPerWeek: 0.99, leadTimeMedianHours: 48, changeFailureRate: 0.15, timeToRestoreMedianHours: 4 },
      met: [false, false, false, false],
    },
    {
      name: "null without data",
      actuals: { deploymentsPerWeek: 0, leadTimeMedianHours: null, changeFailureRate: null, timeToRestoreMedianHours: null },
      met: [false, null, null, null],
    },
  ])("$name", ({ actuals, met }) => {
    const results = evaluateTargets(actuals);
    expect([
      results.deploymentFrequency.met,
      results.leadTimeHours.met,
      results.changeFailureRate.met,
      results.timeToRestoreHours.met,
    ]).toEqual(met);
    expect(results.leadTimeHours).toEqual({ target: 48, actual: actuals.leadTimeMedianHours, met: met[1] });
  });

  it("takes overrides and ignores undefined ones", () => {
    const results = evaluateTargets(
      { deploymentsPerWeek: 3, leadTimeMedianHours: 30, changeFailureRate: 0.1, timeToRestoreMedianHours: 1 },
      { deploymentsPerWeek: 5, leadTimeHours: undefined, changeFailureRate: 0.05 },
    );
    expect(results.deploymentFrequency).toEqual({ target: 5, actual: 3, met: false });
    expect(results.leadTimeHours).toEqual({ target: 48, actual: 30, met: true });
    expect(results.changeFailureRate).toEqual({ target: 0.05, actual: 0.1, met: false });
  });
});
