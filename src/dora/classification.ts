// Elite / High / Medium / Low per metric, from the DORA reports' tables as
// DevLake publishes them (docs/metrics.md#classification). Boundaries are exact: "<"
// and "<=" below are the tables' own, and each is tested.
import { DAYS_PER_MONTH } from "./deployment-frequency.js";

export type BenchmarkYear = 2021 | 2023;
export const DEFAULT_BENCHMARK_YEAR: BenchmarkYear = 2023;
export type PerformanceLevel = "elite" | "high" | "medium" | "low";
/** null: no data to classify. */
export type Classification = PerformanceLevel | null;

const HOURS_PER_DAY = 24;
const DAYS_PER_SIX_MONTHS = DAYS_PER_MONTH * 6;

export interface DeploymentFrequencyFacts {
  medianDeployDaysPerWeek: number | null;
  deployDays: number;
  windowDays: number;
}

/**
 * 2023: elite median deploy-days/week >= 5; high median >= 1; medium >= 1
 * deploy-day per month; else low.
 * 2021: elite median deploy-days/week >= 5; high >= 1 deploy-day per month;
 * medium >= 1 per six months; else low.
 * "Per month" / "per six months" are rates over the window (deployDays x
 * 30.4375 / windowDays, x182.625 for six months): a 30- or 90-day window holds
 * too few whole months for a median. Null for an empty window.
 */
export function classifyDeploymentFrequency(facts: DeploymentFrequencyFacts, year: BenchmarkYear = DEFAULT_BENCHMARK_YEAR): Classification {
  if (facts.windowDays <= 0 || facts.medianDeployDaysPerWeek === null) return null;
  const weekly = facts.medianDeployDaysPerWeek;
  const perMonth = (facts.deployDays * DAYS_PER_MONTH) / facts.windowDays;
  const perSixMonths = (facts.deployDays * DAYS_PER_SIX_MONTHS) / facts.windowDays;
  if (weekly >= 5) return "elite";
  if (year === 2023) {
    if (weekly >= 1) return "high";
    return perMonth >= 1 ? "medium" : "low";
  }
  if (perMonth >= 1) return "high";
  return perSixMonths >= 1 ? "medium" : "low";
}

/** Median lead time in hours. 2023: < 24 h, < 7 d, < 30 d. 2021: < 1 h, < 7 d, < 180 d. */
export function classifyLeadTime(medianHours: number | null, year: BenchmarkYear = DEFAULT_BENCHMARK_YEAR): Classification {
  if (medianHours === null) return null;
  const [elite, high, medium] = year === 2023 ? [24, 7 * HOURS_PER_DAY, 30 * HOURS_PER_DAY] : [1, 7 * HOURS_PER_DAY, 180 * HOURS_PER_DAY];
  if (medianHours < elite) return "elite";
  if (medianHours < high) return "high";
  return medianHours < medium ? "medium" : "low";
}

/** Ratio 0..1. 2023: <= 5 %, <= 10 %, <= 15 %. 2021: <= 15 %, <= 20 %, <= 30 %. */
export function classifyChangeFailureRate(rate: number | null, year: BenchmarkYear = DEFAULT_BENCHMARK_YEAR): Classification {
  if (rate === null) return null;
  const [elite, high, medium] = year === 2023 ? [0.05, 0.1, 0.15] : [0.15, 0.2, 0.3];
  if (rate <= elite) return "elite";
  if (rate <= high) return "high";
  return rate <= medium ? "medium" : "low";
}

/** Median hours, same for both years (and for failed deployment recovery): < 1 h, < 24 h, < 7 d. */
export function classifyTimeToRestore(medianHours: number | null, _year: BenchmarkYear = DEFAULT_BENCHMARK_YEAR): Classification {
  if (medianHours === null) return null;
  if (medianHours < 1) return "elite";
  if (medianHours < HOURS_PER_DAY) return "high";
  return medianHours < 7 * HOURS_PER_DAY ? "medium" : "low";
}
