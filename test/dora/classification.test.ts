import { describe, expect, it } from "vitest";
import {
  classifyChangeFailureRate,
  classifyDeploymentFrequency,
  classifyLeadTime,
  classifyTimeToRestore,
  type BenchmarkYear,
  type Classification,
} from "../../src/dora/index.js";

type Case<T> = { year: BenchmarkYear; value: T; expected: Classification };

describe("lead time classification (median hours; every boundary is strict '<')", () => {
  it.each<Case<number | null>>([
    { year: 2023, value: 23.99, expected: "elite" },
    { year: 2023, value: 24, expected: "high" },
    { year: 2023, value: 167.99, expected: "high" },
    { year: 2023, value: 168, expected: "medium" }, // 7 d
    { year: 2023, value: 719.99, expected: "medium" },
    { year: 2023, value: 720, expected: "low" }, // 30 d
    { year: 2021, value: 0.99, expected: "elite" },
    { year: 2021, value: 1, expected: "high" },
    { year: 2021, value: 168, expected: "medium" },
    { year: 2021, value: 4319.99, expected: "medium" },
    { year: 2021, value: 4320, expected: "low" }, // 180 d
    { year: 2023, value: null, expected: null },
  ])("$year: $value h -> $expected", ({ year, value, expected }) => {
    expect(classifyLeadTime(value, year)).toBe(expected);
  });
});

describe("change failure rate classification (ratio; every boundary is inclusive '<=')", () => {
  it.each<Case<number | null>>([
    { year: 2023, value: 0, expected: "elite" },
    { year: 2023, value: 1 / 20, expected: "elite" }, // 5 %
    { year: 2023, value: 0.0501, expected: "high" },
    { year: 2023, value: 1 / 10, expected: "high" }, // 10 %
    { year: 2023, value: 0.1001, expected: "medium" },
    { year: 2023, value: 3 / 20, expected: "medium" }, // 15 %
    { year: 2023, value: 0.1501, expected: "low" },
    { year: 2021, value: 3 / 20, expected: "elite" }, // 15 %
    { year: 2021, value: 0.1501, expected: "high" },
    { year: 2021, value: 1 / 5, expected: "high" }, // 20 %
    { year: 2021, value: 0.2001, expected: "medium" },
    { year: 2021, value: 3 / 10, expected: "medium" }, // 30 %
    { year: 2021, value: 0.3001, expected: "low" },
    { year: 2021, value: null, expected: null },
  ])("$year: $value -> $expected", ({ year, value, expected }) => {
    expect(classifyChangeFailureRate(value, year)).toBe(expected);
  });
});

describe("time to restore classification (same table both years; strict '<')", () => {
  it.each<Case<number | null>>([
    { year: 2023, value: 0.99, expected: "elite" },
    { year: 2023, value: 1, expected: "high" },
    { year: 2021, value: 1, expected: "high" },
    { year: 2023, value: 23.99, expected: "high" },
    { year: 2023, value: 24, expected: "medium" },
    { year: 2021, value: 167.99, expected: "medium" },
    { year: 2021, value: 168, expected: "low" },
    { year: 2023, value: null, expected: null },
  ])("$year: $value h -> $expected", ({ year, value, expected }) => {
    expect(classifyTimeToRestore(value, year)).toBe(expected);
  });
});

// Deploy-days per month = deployDays x 30.4375 / windowDays; per six months x 182.625.
// A 30.4375-day window makes "deployDays" the monthly rate itself; a 182.625-day one the six-monthly.
describe("deployment frequency classification ('>=' at every boundary)", () => {
  it.each<Case<{ medianDeployDaysPerWeek: number | null; deployDays: number; windowDays: number }>>([
    { year: 2023, value: { medianDeployDaysPerWeek: 5, deployDays: 20, windowDays: 28 }, expected: "elite" },
    { year: 2023, value: { medianDeployDaysPerWeek: 4.5, deployDays: 18, windowDays: 28 }, expected: "high" },
    { year: 2023, value: { medianDeployDaysPerWeek: 1, deployDays: 4, windowDays: 28 }, expected: "high" },
    // median 0.5 < 1 but 1 deploy-day in a 30.4375-day window is exactly 1 per month
    { year: 2023, value: { medianDeployDaysPerWeek: 0.5, deployDays: 1, windowDays: 30.4375 }, expected: "medium" },
    // 1 deploy-day in 31 days: 30.4375 / 31 = 0.98 per month
    { year: 2023, value: { medianDeployDaysPerWeek: 0, deployDays: 1, windowDays: 31 }, expected: "low" },
    { year: 2023, value: { medianDeployDaysPerWeek: 0, deployDays: 0, windowDays: 28 }, expected: "low" },
    { year: 2021, value: { medianDeployDaysPerWeek: 5, deployDays: 20, windowDays: 28 }, expected: "elite" },
    // 2021 "high" needs only 1 deploy-day per month: median 4.9/week is high, and so is exactly 1/month
    { year: 2021, value: { medianDeployDaysPerWeek: 4.9, deployDays: 19, windowDays: 28 }, expected: "high" },
    { year: 2021, value: { medianDeployDaysPerWeek: 0, deployDays: 1, windowDays: 30.4375 }, expected: "high" },
    // exactly 1 per six months (182.625 days) is medium; 1 in 183 days is low
    { year: 2021, value: { medianDeployDaysPerWeek: 0, deployDays: 1, windowDays: 182.625 }, expected: "medium" },
    { year: 2021, value: { medianDeployDaysPerWeek: 0, deployDays: 1, windowDays: 183 }, expected: "low" },
    { year: 2023, value: { medianDeployDaysPerWeek: null, deployDays: 0, windowDays: 0 }, expected: null },
  ])("$year: $value -> $expected", ({ year, value, expected }) => {
    expect(classifyDeploymentFrequency(value, year)).toBe(expected);
  });
});
