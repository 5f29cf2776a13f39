// The team's own metric records (TASK-005 of the execution plan: the
// `dora_metrics` table and its Django summary view), computed exactly as
// that view does so numbers from either side agree:
//
//   lead_time_hours       = Avg(duration_seconds) of phase "deployment" / 3600, 0 when none
//   deployment_frequency  = count of phase "deployment"
//   change_failure_rate   = no-go testing records / testing records * 100, 0 when none
//   total_cycles          = distinct cycle_id
//
// Faithful details: MySQL's AVG over DECIMAL(10,2) returns a DECIMAL rounded
// (half away from zero) to 6 decimals, so the mean is taken in exact decimal
// arithmetic and rounded the same way; the view compares with `=` under
// MySQL's default case-insensitive collation, so phase, decision and cycle id
// compare case-insensitively here. Where the view is broken we follow its
// evident intent: it calls `models.Avg` without importing `models` (a
// NameError), and Django would serialise the Decimal lead time as a string; we
// return numbers. `mttr_hours` (a TODO in the view) is the caller's to add:
// the median time to restore of the DORA report.
import { MS_PER_DAY } from "./calendar.js";

export type TeamPhase = "planning" | "testing" | "deployment" | "maintenance";
export type TeamDecision = "go" | "no-go" | "review" | "blocked";

export interface TeamMetricRecord {
  cycleId: string;
  featureId: string;
  phaseName: TeamPhase;
  decision: TeamDecision;
  /** Seconds with 2 decimals (DECIMAL(10,2)). */
  durationSeconds: number;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface PlanMetrics {
  lead_time_hours: number;
  deployment_frequency: number;
  /** Percentage 0..100 (not a ratio, unlike the DORA report). */
  change_failure_rate: number;
  total_cycles: number;
}

/** The view's filter: created_at >= now - days. */
export function filterPlanRecords(records: readonly TeamMetricRecord[], now: Date, days = 30): TeamMetricRecord[] {
  const cutoff = now.getTime() - days * MS_PER_DAY;
  return records.filter((record) => record.createdAt.getTime() >= cutoff);
}

/** `records` already filtered to the period (see filterPlanRecords). */
export function computePlanMetrics(records: readonly TeamMetricRecord[]): PlanMetrics {
  const isPhase = (record: TeamMetricRecord, phase: TeamPhase) => record.phaseName.toLowerCase() === phase;
  const deployments = records.filter((record) => isPhase(record, "deployment"));
  const testing = records.filter((record) => isPhase(record, "testing"));
  const failedTests = testing.filter((record) => record.decision.toLowerCase() === "no-go").length;
  return {
    lead_time_hours: mysqlAverageMicroseconds(deployments.map((record) => record.durationSeconds)) / 3_600_000_000,
    deployment_frequency: deployments.length,
    // Same operation order as the view: (failed / total) * 100.
    change_failure_rate: testing.length > 0 ? (failedTests / testing.length) * 100 : 0,
    total_cycles: new Set(records.map((record) => record.cycleId.toLowerCase())).size,
  };
}

/** AVG over DECIMAL(10,2) as MySQL computes it, in millionths of a second; 0 for no values (`or 0`). */
function mysqlAverageMicroseconds(durationsSeconds: readonly number[]): number {
  if (durationsSeconds.length === 0) return 0;
  // Exact: each value is a whole number of cents.
  const totalCents = durationsSeconds.reduce((sum, seconds) => sum + BigInt(Math.round(seconds * 100)), 0n);
  const count = BigInt(durationsSeconds.length);
  const numerator = totalCents * 10_000n; // cents -> millionths
  const magnitude = numerator < 0n ? -numerator : numerator;
  let quotient = magnitude / count;
  if ((magnitude % count) * 2n >= count) quotient += 1n; // half away from zero
  return Number(numerator < 0n ? -quotient : quotient);
}
