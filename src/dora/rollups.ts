// Daily rollups of the DORA facts, the pure half: building the rows of one
// repository from its records, summing repositories, and reading a window's
// report back from rows. src/store/dora-rollups.ts stores and refreshes the
// rows; src/metrics/measure.ts decides when an answer reads them.
//
// Building (rollupRows): recordFacts (the same preparation and per-record
// results as the exact report) and each fact is added to the row of its
// (repo, environment, UTC day): counts, lead-time histograms, recovery and
// restore hours. A deployment's facts do not depend on which scope is
// measured, so summing rows over the environments of a scope gives the
// core's counts exactly.
//
// Reading (rollupReport): the same report keys as the core, through the same
// assembler (assemble.ts), with
// - the window aligned to UTC days: the last `days` calendar days, today
//   included, up to the last refresh (`as_of`);
// - lead-time median/p90 and breakdown from log-bucket histograms (5 %
//   buckets: within 2.5 % of the exact value); counts, rates, time to
//   restore and recovery exact;
// - facts as of the last refresh (a late incident changes an old
//   deployment's failure only after the rows of its day are rebuilt).
import { createHash } from "node:crypto";
import { assembleReport } from "./assemble.js";
import { daysOfWindow, isoWeek, MS_PER_DAY } from "./calendar.js";
import type { DoraFigures, DoraOptions } from "./contract.js";
import { DAYS_PER_MONTH } from "./deployment-frequency.js";
import { DEFAULT_INCIDENT_WINDOW_HOURS, DEFAULT_PRODUCTION_PATTERNS } from "./incident-attribution.js";
import type { DoraInput } from "./records.js";
import { recordFacts } from "./record-facts.js";
import { incidentHome, scopeOf } from "./scope.js";
import { median, percentile, ratio } from "./stats.js";

/** Histogram bucket ratio: a value is reported as its bucket's geometric middle, within sqrt(1.05) - 1 = 2.5 %. */
const BUCKET_RATIO = 1.05;
const LOG_RATIO = Math.log(BUCKET_RATIO);
/** The bucket of values under one second (zero and clock-skewed negatives). */
const SUB_SECOND = "z";
/** Rollup repo key of the sum over every repository (not a valid owner/name). */
export const ALL_REPOS = "*";

export type Histogram = Record<string, number>;
export const STAGES = ["lead", "coding", "pickup", "review", "deploy"] as const;
export type Stage = (typeof STAGES)[number];

export interface RollupRow {
  repo: string;
  environment: string;
  /** "YYYY-MM-DD" (UTC). */
  day: string;
  deployments: number;
  failedDeployments: number;
  reworkDeployments: number;
  failedAttempts: number;
  leadTimeCount: number;
  histograms: Partial<Record<Stage, Histogram>>;
  recoveryHours: Array<number | null>;
  restoreHours: Array<number | null>;
}

// --- histograms ------------------------------------------------------------------

export function bucketOf(hours: number): string {
  const seconds = hours * 3600;
  return seconds < 1 ? SUB_SECOND : String(Math.floor(Math.log(seconds) / LOG_RATIO));
}

/** The value a bucket stands for, in hours. */
export function bucketValue(bucket: string): number {
  if (bucket === SUB_SECOND) return 0;
  return Math.exp((Number(bucket) + 0.5) * LOG_RATIO) / 3600;
}

function addTo(histogram: Histogram, hours: number, count = 1): void {
  const bucket = bucketOf(hours);
  histogram[bucket] = (histogram[bucket] ?? 0) + count;
}

function mergeInto(target: Histogram, source: Histogram | undefined): void {
  for (const [bucket, count] of Object.entries(source ?? {})) target[bucket] = (target[bucket] ?? 0) + count;
}

/** stats.percentile (type 7) over a histogram, each value taken as its bucket's middle. */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  const buckets = Object.entries(histogram)
    .filter(([, count]) => count > 0)
    .map(([bucket, count]) => ({ value: bucketValue(bucket), count }))
    .sort((a, b) => a.value - b.value);
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return null;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const bucket of buckets) {
      seen += bucket.count;
      if (rank < seen) return bucket.value;
    }
    return buckets[buckets.length - 1]!.value;
  };
  const rank = (total - 1) * p;
  const lowerIndex = Math.floor(rank);
  const lower = valueAt(lowerIndex);
  const upper = valueAt(Math.min(lowerIndex + 1, total - 1));
  const fraction = rank - lowerIndex;
  return fraction === 0 ? lower : lower + fraction * (upper - lower);
}

// --- building --------------------------------------------------------------------

/** The UTC day of an instant, "YYYY-MM-DD": the rows' key. */
export const dayOf = (instant: Date) => instant.toISOString().slice(0, 10);

/** The rows of one repo's facts for the days of [from, to): the core's per-record results, bucketed. */
export function rollupRows(repo: string, input: DoraInput, options: DoraOptions): RollupRow[] {
  const { normalised, attributions, measured, leadTime, failedIds, rework, recovery, incidents, restore, attempts } = recordFacts(input, options);
  const deploymentById = new Map(normalised.deployments.map((deployment) => [deployment.id, deployment]));
  const attributionOf = new Map(attributions.map((attribution) => [attribution.incidentId, attribution.deploymentId]));
  const incidentById = new Map(incidents.map((incident) => [incident.id, incident]));

  // 3. bucket by (environment, day)
  const rows = new Map<string, RollupRow>();
  const row = (environment: string, day: string) => {
    const key = `${environment}\u0000${day}`;
    let current = rows.get(key);
    if (!current) {
      current = { repo, environment, day, deployments: 0, failedDeployments: 0, reworkDeployments: 0, failedAttempts: 0, leadTimeCount: 0, histograms: {}, recoveryHours: [], restoreHours: [] };
      rows.set(key, current);
    }
    return current;
  };
  const ofDeployment = (id: string) => {
    const deployment = deploymentById.get(id)!;
    return row(deployment.environment, dayOf(deployment.deployedAt));
  };
  for (const deployment of measured) row(deployment.environment, dayOf(deployment.deployedAt)).deployments += 1;
  for (const id of failedIds) ofDeployment(id).failedDeployments += 1;
  for (const entry of rework.reworkDeployments) ofDeployment(entry.deploymentId).reworkDeployments += 1;
  for (const entry of recovery.deployments) ofDeployment(entry.deploymentId).recoveryHours.push(entry.recoveryHours);
  for (const item of leadTime.items) {
    const target = row(item.environment, dayOf(item.deployedAt));
    target.leadTimeCount += 1;
    const values: Record<Stage, number | null> = {
      lead: item.leadTimeHours,
      coding: item.stages.codingHours,
      pickup: item.stages.pickupHours,
      review: item.stages.reviewHours,
      deploy: item.stages.deployHours,
    };
    for (const stage of STAGES) {
      const value = values[stage];
      if (value !== null) addTo((target.histograms[stage] ??= {}), value);
    }
  }
  for (const attempt of attempts) row(attempt.environment, dayOf(attempt.failedAt)).failedAttempts += 1;
  for (const entry of restore.incidents) {
    const incident = incidentById.get(entry.incidentId)!;
    // Rows of the incident's home (scope.ts), so a reader puts it in the scope the exact report does.
    const attributed = attributionOf.get(incident.id);
    const home = incidentHome(incident, attributed ? deploymentById.get(attributed) : undefined);
    row(home, dayOf(incident.openedAt)).restoreHours.push(entry.restoreHours);
  }
  return [...rows.values()];
}

/** Sums per-repo rows into the ALL_REPOS rows (same environment and day). */
export function sumRows(rows: readonly RollupRow[]): RollupRow[] {
  const sums = new Map<string, RollupRow>();
  for (const source of rows) {
    const key = `${source.environment}\u0000${source.day}`;
    let target = sums.get(key);
    if (!target) {
      target = { ...source, repo: ALL_REPOS, deployments: 0, failedDeployments: 0, reworkDeployments: 0, failedAttempts: 0, leadTimeCount: 0, histograms: {}, recoveryHours: [], restoreHours: [] };
      sums.set(key, target);
    }
    target.deployments += source.deployments;
    target.failedDeployments += source.failedDeployments;
    target.reworkDeployments += source.reworkDeployments;
    target.failedAttempts += source.failedAttempts;
    target.leadTimeCount += source.leadTimeCount;
    for (const stage of STAGES) if (source.histograms[stage]) mergeInto((target.histograms[stage] ??= {}), source.histograms[stage]);
    target.recoveryHours.push(...source.recoveryHours);
    target.restoreHours.push(...source.restoreHours);
  }
  return [...sums.values()];
}

// --- reading ---------------------------------------------------------------------

export interface RollupScope {
  /** undefined: the production environments together. */
  environment?: string;
  productionPatterns: readonly RegExp[];
}

/** The core's report keys from rollup rows of one repo key, for the window [from, to). */
export function rollupReport(rows: readonly RollupRow[], from: Date, to: Date, scope: RollupScope, options: Pick<DoraOptions, "benchmarkYear" | "targets">): DoraFigures {
  const measured = scopeOf(scope.environment, scope.productionPatterns);
  const inWindow = rowsOfWindow(rows, from, to);

  let deployments = 0;
  let failed = 0;
  let rework = 0;
  let attempts = 0;
  let leadCount = 0;
  const histograms: Record<Stage, Histogram> = { lead: {}, coding: {}, pickup: {}, review: {}, deploy: {} };
  const deployDays = new Set<string>();
  const recovery: Array<number | null> = [];
  const restore: Array<number | null> = [];
  for (const row of inWindow) {
    if (measured.includesHome(row.environment)) restore.push(...row.restoreHours);
    if (!measured.includesEnvironment(row.environment)) continue;
    deployments += row.deployments;
    failed += row.failedDeployments;
    rework += row.reworkDeployments;
    attempts += row.failedAttempts;
    leadCount += row.leadTimeCount;
    if (row.deployments > 0) deployDays.add(row.day);
    for (const stage of STAGES) mergeInto(histograms[stage], row.histograms[stage]);
    recovery.push(...row.recoveryHours);
  }

  const windowDays = (to.getTime() - from.getTime()) / MS_PER_DAY;
  const rate = (count: number, days: number) => (windowDays === 0 ? 0 : (count * days) / windowDays);
  const perWeek = new Map<string, number>();
  for (const day of daysOfWindow(from, to, "UTC")) perWeek.set(isoWeek(day), (perWeek.get(isoWeek(day)) ?? 0) + (deployDays.has(day) ? 1 : 0));
  const closed = restore.filter((hours): hours is number => hours !== null);
  const recovered = recovery.filter((hours): hours is number => hours !== null);
  return assembleReport(
    {
      window: { from, to, days: windowDays },
      frequency: {
        deployments,
        deployDays: deployDays.size,
        perDay: rate(deployments, 1),
        perWeek: rate(deployments, 7),
        perMonth: rate(deployments, DAYS_PER_MONTH),
        medianDeployDaysPerWeek: median([...perWeek.values()]),
      },
      leadTime: {
        median: histogramPercentile(histograms.lead, 0.5),
        p90: histogramPercentile(histograms.lead, 0.9),
        count: leadCount,
        breakdown: {
          coding: histogramPercentile(histograms.coding, 0.5),
          pickup: histogramPercentile(histograms.pickup, 0.5),
          review: histogramPercentile(histograms.review, 0.5),
          deploy: histogramPercentile(histograms.deploy, 0.5),
        },
      },
      changeFailureRate: ratio(failed, deployments),
      failedDeployments: failed,
      failedAttempts: attempts,
      restore: { median: median(closed), p90: percentile(closed, 0.9), count: closed.length, open: restore.length - closed.length },
      recovery: { median: median(recovered), count: recovered.length },
      reworkRate: ratio(rework, deployments),
    },
    options,
  );
}

/** Production together (or one environment) plus every environment with deployments or attempts in the window. */
export function rollupReportByEnvironment(
  rows: readonly RollupRow[],
  from: Date,
  to: Date,
  scope: RollupScope,
  options: Pick<DoraOptions, "benchmarkYear" | "targets">,
): DoraFigures & { environments: Record<string, DoraFigures> } {
  const seen = new Set(rowsOfWindow(rows, from, to).filter((row) => row.deployments > 0 || row.failedAttempts > 0).map((row) => row.environment));
  const names = scope.environment === undefined ? [...seen].sort() : [scope.environment];
  const environments = Object.fromEntries(
    names.map((name) => [name, rollupReport(rows, from, to, { productionPatterns: scope.productionPatterns, environment: name }, options)]),
  );
  const top = scope.environment === undefined ? rollupReport(rows, from, to, scope, options) : environments[scope.environment]!;
  return { ...top, environments };
}

/** The rows of the UTC days [from, to) touches. */
function rowsOfWindow(rows: readonly RollupRow[], from: Date, to: Date): RollupRow[] {
  const firstDay = dayOf(from);
  const lastDay = dayOf(new Date(to.getTime() - 1));
  return rows.filter((row) => row.day >= firstDay && row.day <= lastDay);
}

/** Deployments in the window's rows, to choose between rollups and exact measurement. */
export function deploymentsIn(rows: readonly RollupRow[]): number {
  return rows.reduce((sum, row) => sum + row.deployments, 0);
}

/** Rollups are only valid for the settings they were built with. */
export function settingsHash(options: Pick<DoraOptions, "productionPatterns" | "incidentWindowHours" | "hotfixPatterns">): string {
  const text = JSON.stringify({
    production: (options.productionPatterns ?? DEFAULT_PRODUCTION_PATTERNS).map(String),
    window: options.incidentWindowHours ?? DEFAULT_INCIDENT_WINDOW_HOURS,
    hotfix: Object.fromEntries(Object.entries(options.hotfixPatterns ?? {}).map(([kind, patterns]) => [kind, (patterns ?? []).map(String)])),
    bucketRatio: BUCKET_RATIO,
  });
  return createHash("sha256").update(text).digest("hex");
}
