// Step 5 and 6 of every DORA measurement: raw figures in, the contract's
// report out, with the benchmark classification and the team's targets.
// The exact path (report.ts) and the rollup path (rollups.ts) compute their
// figures differently (records vs daily rows) and both end here, so the
// judgement and the shape of an answer exist once.
import {
  classifyChangeFailureRate,
  classifyDeploymentFrequency,
  classifyLeadTime,
  classifyTimeToRestore,
  DEFAULT_BENCHMARK_YEAR,
} from "./classification.js";
import type { DoraFigures, DoraOptions } from "./contract.js";
import { evaluateTargets } from "./targets.js";

/** A window's measured values, before judgement. Hours are unrounded. */
export interface RawFigures {
  window: { from: Date; to: Date; days: number };
  frequency: {
    deployments: number;
    deployDays: number;
    perDay: number;
    perWeek: number;
    perMonth: number;
    medianDeployDaysPerWeek: number | null;
  };
  leadTime: {
    median: number | null;
    p90: number | null;
    count: number;
    breakdown: { coding: number | null; pickup: number | null; review: number | null; deploy: number | null };
  };
  changeFailureRate: number | null;
  failedDeployments: number;
  failedAttempts: number;
  restore: { median: number | null; p90: number | null; count: number; open: number };
  recovery: { median: number | null; count: number };
  reworkRate: number | null;
}

export function assembleReport(figures: RawFigures, options: Pick<DoraOptions, "benchmarkYear" | "targets">): DoraFigures {
  const { window, frequency, leadTime, restore } = figures;
  const year = options.benchmarkYear ?? DEFAULT_BENCHMARK_YEAR;
  const targets = evaluateTargets(
    {
      deploymentsPerWeek: frequency.perWeek,
      leadTimeMedianHours: leadTime.median,
      changeFailureRate: figures.changeFailureRate,
      timeToRestoreMedianHours: restore.median,
    },
    options.targets,
  );
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString(), days: window.days },
    deployment_frequency: {
      deployments: frequency.deployments,
      deploy_days: frequency.deployDays,
      per_day: frequency.perDay,
      per_week: frequency.perWeek,
      per_month: frequency.perMonth,
      median_deploy_days_per_week: frequency.medianDeployDaysPerWeek,
    },
    lead_time_hours: { median: leadTime.median, p90: leadTime.p90, count: leadTime.count, breakdown: { ...leadTime.breakdown } },
    change_failure_rate: figures.changeFailureRate,
    failed_deployments: figures.failedDeployments,
    failed_deployment_attempts: figures.failedAttempts,
    time_to_restore_hours: { median: restore.median, p90: restore.p90, count: restore.count, open: restore.open },
    failed_deployment_recovery_hours: { median: figures.recovery.median, count: figures.recovery.count },
    rework_rate: figures.reworkRate,
    classification: {
      benchmark_year: year,
      deployment_frequency: classifyDeploymentFrequency(
        { medianDeployDaysPerWeek: frequency.medianDeployDaysPerWeek, deployDays: frequency.deployDays, windowDays: window.days },
        year,
      ),
      lead_time: classifyLeadTime(leadTime.median, year),
      change_failure_rate: classifyChangeFailureRate(figures.changeFailureRate, year),
      time_to_restore: classifyTimeToRestore(restore.median, year),
    },
    targets: {
      deployment_frequency: targets.deploymentFrequency,
      lead_time_hours: targets.leadTimeHours,
      change_failure_rate: targets.changeFailureRate,
      time_to_restore_hours: targets.timeToRestoreHours,
    },
  };
}
