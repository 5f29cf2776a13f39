import { describe, expect, it } from "vitest";
import { computeDeploymentFrequency, isoWeek } from "../../src/dora/index.js";
import { at, deployment } from "./builders.js";

describe("deployment frequency", () => {
  it("counts deployments, deploy-days and the median deploy-days per ISO week, zero weeks included", () => {
    // Window Mon 4 Mar -> Mon 25 Mar 2024 (21 days: weeks W10, W11, W12).
    // W10: Mon twice + Tue = 2 deploy-days; W11: none = 0; W12: Fri = 1. Median of [2, 0, 1] = 1.
    // A deployment at `to` (25 Mar 00:00) and one before `from` are outside.
    // 4 deployments / 21 days: per week 4 * 7 / 21 = 1.333..., per month 4 * 30.4375 / 21.
    const result = computeDeploymentFrequency(
      [
        deployment("a", "production", "a1", "2024-03-04 09:00"),
        deployment("b", "production", "a2", "2024-03-04 17:00"),
        deployment("c", "production", "a3", "2024-03-05 09:00"),
        deployment("d", "production", "a4", "2024-03-22 09:00"),
        deployment("e", "production", "a5", "2024-03-25 00:00"),
        deployment("f", "production", "a6", "2024-03-03 23:59"),
      ],
      { from: at("2024-03-04 00:00"), to: at("2024-03-25 00:00") },
    );
    expect(result).toMatchObject({ deployments: 4, deployDays: 3, windowDays: 21, medianDeployDaysPerWeek: 1 });
    expect(result.weeks).toEqual([
      { week: "2024-W10", deployDays: 2 },
      { week: "2024-W11", deployDays: 0 },
      { week: "2024-W12", deployDays: 1 },
    ]);
    expect(result.perDay).toBeCloseTo(4 / 21, 12);
    expect(result.perWeek).toBeCloseTo(4 / 3, 12);
    expect(result.perMonth).toBeCloseTo((4 * 30.4375) / 21, 12);
  });

  it("takes calendar days in the configured time zone", () => {
    // 23:30 UTC on Mon 4 Mar and 00:30 UTC on Tue 5 Mar: two UTC days, but in Europe/Madrid (UTC+1)
    // both are Tuesday 5 Mar -> one deploy-day. In America/Bogota (UTC-5) both are Monday 4 Mar.
    const deployments = [
      deployment("a", "production", "a1", "2024-03-04 23:30"),
      deployment("b", "production", "a2", "2024-03-05 00:30"),
    ];
    const window = { from: at("2024-03-04 00:00"), to: at("2024-03-11 00:00") };
    expect(computeDeploymentFrequency(deployments, window).deployDays).toBe(2);
    expect(computeDeploymentFrequency(deployments, window, { timeZone: "Europe/Madrid" }).deployDays).toBe(1);
    expect(computeDeploymentFrequency(deployments, window, { timeZone: "America/Bogota" }).deployDays).toBe(1);
  });

  it.each([
    { day: "2024-01-01", week: "2024-W01" }, // a Monday
    { day: "2023-01-01", week: "2022-W52" }, // a Sunday belongs to the previous ISO year
    { day: "2020-12-31", week: "2020-W53" },
    { day: "2021-01-03", week: "2020-W53" },
    { day: "2024-12-30", week: "2025-W01" },
  ])("ISO week of $day is $week", ({ day, week }) => {
    expect(isoWeek(day)).toBe(week);
  });
});
