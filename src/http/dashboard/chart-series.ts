// The overview's chart points, from the measurer's evidence of the same
// query (src/metrics/measure.ts evidenceOf): the deployments counted by
// deployment frequency, the changes timed by lead time and the deployments
// judged by change failure rate, bucketed by ISO week or calendar month
// (UTC). Statistics are the core's (median, percentile), so a bucket's
// figure is computed the way the headline figure is.
import { calendarDay, isoWeek, median, percentile, ratio } from "../../dora/index.js";
import type { FigureEvidence } from "../../dora/index.js";
import type { ChartPoint } from "./svg-charts.js";

/** Every ISO week (or month) touched by [from, to), in order: the buckets, empty ones included. */
function periods(from: Date, to: Date, periodOf: (day: string) => string): string[] {
  const labels: string[] = [];
  for (let time = from.getTime(); time < to.getTime(); time += 86_400_000) {
    const label = periodOf(calendarDay(new Date(time)));
    if (labels[labels.length - 1] !== label) labels.push(label);
  }
  return labels;
}

const monthOf = (day: string) => day.slice(0, 7);

export function deploymentsPerWeek(evidence: FigureEvidence, from: Date, to: Date): ChartPoint[] {
  const counts = new Map<string, number>();
  for (const { deployment } of evidence.deployments) {
    const week = isoWeek(calendarDay(deployment.deployedAt));
    counts.set(week, (counts.get(week) ?? 0) + 1);
  }
  return periods(from, to, isoWeek).map((label) => ({ label, value: counts.get(label) ?? 0 }));
}

export function leadTimePerWeek(evidence: FigureEvidence, from: Date, to: Date): { median: ChartPoint[]; p90: ChartPoint[] } {
  const deployedAt = new Map(evidence.deployments.map(({ deployment }) => [deployment.id, deployment.deployedAt]));
  const hoursByWeek = new Map<string, number[]>();
  for (const { change, leadTimeHours } of evidence.changes) {
    const at = deployedAt.get(change.deploymentId);
    if (at === undefined || leadTimeHours === undefined) continue;
    const week = isoWeek(calendarDay(at));
    hoursByWeek.set(week, [...(hoursByWeek.get(week) ?? []), leadTimeHours]);
  }
  const labels = periods(from, to, isoWeek);
  return {
    median: labels.map((label) => ({ label, value: median(hoursByWeek.get(label) ?? []) })),
    p90: labels.map((label) => ({ label, value: percentile(hoursByWeek.get(label) ?? [], 0.9) })),
  };
}

/** Percent of the month's deployments that failed; null for a month without deployments. */
export function failureRatePerMonth(evidence: FigureEvidence, from: Date, to: Date): ChartPoint[] {
  const tally = new Map<string, { failed: number; all: number }>();
  for (const { deployment, failure } of evidence.deployments) {
    const month = monthOf(calendarDay(deployment.deployedAt));
    const counts = tally.get(month) ?? { failed: 0, all: 0 };
    tally.set(month, { failed: counts.failed + (failure ? 1 : 0), all: counts.all + 1 });
  }
  return periods(from, to, monthOf).map((label) => {
    const counts = tally.get(label);
    const rate = counts ? ratio(counts.failed, counts.all) : null;
    return { label, value: rate === null ? null : rate * 100 };
  });
}
