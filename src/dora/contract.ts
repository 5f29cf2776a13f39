// The DORA measurement's contract: the options a caller passes and the
// report it gets back. Report keys are snake_case: they are the HTTP API's
// contract with its clients (docs/api.md), and every path (exact, rollup)
// returns this shape through assemble.ts.
import type { FailureReason } from "./change-failure.js";
import type { BenchmarkYear, Classification } from "./classification.js";
import type { HotfixPatterns } from "./hotfix.js";
import type { AttributionMethod } from "./incident-attribution.js";
import type { PullRequestRef } from "./records.js";
import type { TargetResult, Targets } from "./targets.js";

export interface DoraOptions {
  /** Window start, inclusive. */
  from: Date;
  /** Window end, exclusive; also "now" for the report: later events are ignored. */
  to: Date;
  /** Which environments are production; default [/^prod(uction)?$/i]. */
  productionPatterns?: readonly RegExp[];
  /** Measure this one environment (exact name) instead of the production set. */
  environment?: string;
  /** Window-based incident attribution, hours; default 48. */
  incidentWindowHours?: number;
  /** Benchmark table for classification; default 2023. */
  benchmarkYear?: BenchmarkYear;
  /** Overrides of the team's targets. */
  targets?: Partial<Targets>;
  /** Overrides of the hotfix patterns, per kind (labels, branches, titles). */
  hotfixPatterns?: Partial<HotfixPatterns>;
  /** IANA time zone of calendar days and weeks; default "UTC". */
  timeZone?: string;
}

export interface DoraReport {
  window: { from: string; to: string; days: number };
  deployment_frequency: {
    deployments: number;
    deploy_days: number;
    per_day: number;
    per_week: number;
    per_month: number;
    median_deploy_days_per_week: number | null;
  };
  lead_time_hours: {
    median: number | null;
    p90: number | null;
    count: number;
    breakdown: { coding: number | null; pickup: number | null; review: number | null; deploy: number | null };
  };
  change_failure_rate: number | null;
  failed_deployments: number;
  failed_deployment_attempts: number;
  time_to_restore_hours: { median: number | null; p90: number | null; count: number; open: number };
  failed_deployment_recovery_hours: { median: number | null; count: number };
  rework_rate: number | null;
  classification: {
    benchmark_year: BenchmarkYear;
    deployment_frequency: Classification;
    lead_time: Classification;
    change_failure_rate: Classification;
    time_to_restore: Classification;
  };
  targets: {
    deployment_frequency: TargetResult;
    lead_time_hours: TargetResult;
    change_failure_rate: TargetResult;
    time_to_restore_hours: TargetResult;
  };
  evidence: {
    deployments: string[];
    failed_deployments: { deployment_id: string; reasons: FailureReason[]; incident_ids?: string[] }[];
    changes: { deployment_id: string; sha: string; pull_request?: PullRequestRef; lead_time_hours: number }[];
    incidents: {
      id: string;
      attributed_to: string | null;
      how: AttributionMethod | null;
      restore_hours: number | null;
    }[];
  };
}

export interface DoraReportByEnvironment extends DoraReport {
  /** Every environment seen (in deployments or attempts), each measured on its own; keys sorted. */
  environments: Record<string, DoraReport>;
}

/** The report without the evidence ids: what a rollup answer carries, and what the API's `dora` shows. */
export type DoraFigures = Omit<DoraReport, "evidence">;
