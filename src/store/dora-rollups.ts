// Daily rollups of the DORA facts: what GET /api/dora/metrics reads when a
// window holds too many records to measure on each request (1M deployments
// and 10M changes cannot be loaded in 100 ms; a few hundred rollup rows can).
//
// Building (refreshDoraRollups): per repo, the capture store's records for
// [from, to) go through the pure core's building blocks exactly as
// computeDoraReport uses them (same normalisation, attribution, rollbacks,
// reverts, lead time, failure, rework, recovery, restore), and each
// per-record fact is added to the row of its (repo, environment, UTC day):
// counts, lead-time histograms, recovery and restore hours. A deployment's
// facts do not depend on which scope is measured, so summing rows over the
// environments of a scope gives the core's counts exactly.
//
// Reading (rollupReport): the same report keys as the core, with
// - the window aligned to UTC days: the last `days` calendar days, today
//   included, up to the last refresh (`as_of`);
// - lead-time median/p90 and breakdown from log-bucket histograms (5 %
//   buckets: within 2.5 % of the exact value); counts, rates, time to
//   restore and recovery exact;
// - facts as of the last refresh (a late incident changes an old
//   deployment's failure only after the rows of its day are rebuilt).
// GET /api/dora/evidence always measures exactly; docs/api.md explains both.
//
// Refreshing across replicas (refreshDoraRollupsExclusive): one refresh at a
// time, by a lease on the state row taken with a conditional UPDATE (a
// GET_LOCK would belong to one pooled connection, and Prisma may run the
// next query on another). The lease is renewed while the refresh runs and
// lapses when its holder dies. A backfill marks the days it wrote as stale
// (markRollupsStale); the next refresh rebuilds from there.
import { createHash } from "node:crypto";
import {
  attributeIncidents,
  classifyChangeFailureRate,
  classifyDeploymentFrequency,
  classifyLeadTime,
  classifyTimeToRestore,
  compareDeployments,
  computeChangeFailure,
  computeFailedDeploymentRecovery,
  computeLeadTime,
  computeRework,
  computeTimeToRestore,
  DAYS_PER_MONTH,
  daysOfWindow,
  DEFAULT_BENCHMARK_YEAR,
  DEFAULT_HOTFIX_PATTERNS,
  DEFAULT_INCIDENT_WINDOW_HOURS,
  DEFAULT_PRODUCTION_PATTERNS,
  evaluateTargets,
  findReverts,
  findRollbacks,
  isoWeek,
  isProductionEnvironment,
  median,
  normaliseInput,
  percentile,
  ratio,
} from "../dora/index.js";
import type { DoraInput, DoraOptions, DoraReport } from "../dora/index.js";
import type { DoraInputQuery } from "./dora-records.js";
import type { DoraDailyRollup } from "./generated/client.js";
import type { PrismaClient } from "./prisma.js";

const DAY_MS = 86_400_000;
const STATE_ID = 1;
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

const dayOf = (instant: Date) => instant.toISOString().slice(0, 10);

/** The core's per-record results for the deployments and incidents of [from, to), scope-independent. */
export function recordFacts(input: DoraInput, options: DoraOptions) {
  const { from, to } = options;
  const productionPatterns = options.productionPatterns ?? DEFAULT_PRODUCTION_PATTERNS;
  // 1. the same facts computeDoraReport derives
  const normalised = normaliseInput(input, to);
  const attributions = attributeIncidents(normalised.incidents, normalised.deployments, normalised.changes, {
    productionPatterns,
    incidentWindowHours: options.incidentWindowHours ?? DEFAULT_INCIDENT_WINDOW_HOURS,
  });
  const rollbacks = findRollbacks(normalised.deployments);
  const reverts = findReverts(normalised.deployments, normalised.changes, normalised.pullRequests);
  const inWindow = (time: Date) => time.getTime() >= from.getTime() && time.getTime() < to.getTime();
  const measured = normalised.deployments.filter((deployment) => inWindow(deployment.deployedAt)).sort(compareDeployments);

  // 2. per-record results
  const leadTime = computeLeadTime(measured, normalised.changes, normalised.pullRequests);
  const failure = computeChangeFailure({ deployments: measured, attributions, rollbacks, reverts });
  const failedIds = failure.failedDeployments.map((failed) => failed.deploymentId);
  const rework = computeRework(
    { deployments: measured, allDeployments: normalised.deployments, changes: normalised.changes, pullRequests: normalised.pullRequests, incidents: normalised.incidents, attributions, rollbacks },
    { hotfixPatterns: { ...DEFAULT_HOTFIX_PATTERNS, ...Object.fromEntries(Object.entries(options.hotfixPatterns ?? {}).filter(([, value]) => value !== undefined)) } },
  );
  const recovery = computeFailedDeploymentRecovery(failedIds, normalised.deployments, normalised.incidents, attributions, to);
  const incidents = normalised.incidents.filter((incident) => incident.openedAt.getTime() >= from.getTime());
  const restore = computeTimeToRestore(incidents, to);
  const attempts = normalised.attempts.filter((attempt) => inWindow(attempt.failedAt));
  return { normalised, attributions, measured, leadTime, failure, failedIds, rework, recovery, incidents, restore, attempts };
}

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
    // The incident's home, as the core decides its scope: the environment it names, else its deployment's, else "" (production).
    const attributed = attributionOf.get(incident.id);
    const home = incident.environment ?? (attributed ? deploymentById.get(attributed)?.environment : undefined) ?? "";
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

export type RollupReport = Omit<DoraReport, "evidence">;

export interface RollupScope {
  /** undefined: the production environments together. */
  environment?: string;
  productionPatterns: readonly RegExp[];
}

/** The core's report keys from rollup rows of one repo key, for the window [from, to). */
export function rollupReport(rows: readonly RollupRow[], from: Date, to: Date, scope: RollupScope, options: Pick<DoraOptions, "benchmarkYear" | "targets">): RollupReport {
  const isProduction = (environment: string) => isProductionEnvironment(environment, scope.productionPatterns);
  const name = scope.environment?.toLowerCase();
  const deploymentsIn = (environment: string) => (name === undefined ? isProduction(environment) : environment.toLowerCase() === name);
  // "" = an unattributed incident without environment: production's, and each production environment's.
  const incidentsIn = (home: string) =>
    home === "" ? (name === undefined ? true : isProduction(scope.environment!)) : deploymentsIn(home);
  const firstDay = dayOf(from);
  const lastDay = dayOf(new Date(to.getTime() - 1));
  const inWindow = rows.filter((row) => row.day >= firstDay && row.day <= lastDay);

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
    if (incidentsIn(row.environment)) restore.push(...row.restoreHours);
    if (!deploymentsIn(row.environment)) continue;
    deployments += row.deployments;
    failed += row.failedDeployments;
    rework += row.reworkDeployments;
    attempts += row.failedAttempts;
    leadCount += row.leadTimeCount;
    if (row.deployments > 0) deployDays.add(row.day);
    for (const stage of STAGES) mergeInto(histograms[stage], row.histograms[stage]);
    recovery.push(...row.recoveryHours);
  }

  const windowDays = (to.getTime() - from.getTime()) / DAY_MS;
  const rate = (count: number, days: number) => (windowDays === 0 ? 0 : (count * days) / windowDays);
  const perWeek = new Map<string, number>();
  for (const day of daysOfWindow(from, to, "UTC")) perWeek.set(isoWeek(day), (perWeek.get(isoWeek(day)) ?? 0) + (deployDays.has(day) ? 1 : 0));
  const medianDeployDaysPerWeek = median([...perWeek.values()]);
  const leadMedian = histogramPercentile(histograms.lead, 0.5);
  const closed = restore.filter((hours): hours is number => hours !== null);
  const recovered = recovery.filter((hours): hours is number => hours !== null);
  const restoreMedian = median(closed);
  const changeFailureRate = ratio(failed, deployments);
  const year = options.benchmarkYear ?? DEFAULT_BENCHMARK_YEAR;
  const targets = evaluateTargets(
    { deploymentsPerWeek: rate(deployments, 7), leadTimeMedianHours: leadMedian, changeFailureRate, timeToRestoreMedianHours: restoreMedian },
    options.targets,
  );
  return {
    window: { from: from.toISOString(), to: to.toISOString(), days: windowDays },
    deployment_frequency: {
      deployments,
      deploy_days: deployDays.size,
      per_day: rate(deployments, 1),
      per_week: rate(deployments, 7),
      per_month: rate(deployments, DAYS_PER_MONTH),
      median_deploy_days_per_week: medianDeployDaysPerWeek,
    },
    lead_time_hours: {
      median: leadMedian,
      p90: histogramPercentile(histograms.lead, 0.9),
      count: leadCount,
      breakdown: {
        coding: histogramPercentile(histograms.coding, 0.5),
        pickup: histogramPercentile(histograms.pickup, 0.5),
        review: histogramPercentile(histograms.review, 0.5),
        deploy: histogramPercentile(histograms.deploy, 0.5),
      },
    },
    change_failure_rate: changeFailureRate,
    failed_deployments: failed,
    failed_deployment_attempts: attempts,
    time_to_restore_hours: { median: restoreMedian, p90: percentile(closed, 0.9), count: closed.length, open: restore.length - closed.length },
    failed_deployment_recovery_hours: { median: median(recovered), count: recovered.length },
    rework_rate: ratio(rework, deployments),
    classification: {
      benchmark_year: year,
      deployment_frequency: classifyDeploymentFrequency({ medianDeployDaysPerWeek, deployDays: deployDays.size, windowDays }, year),
      lead_time: classifyLeadTime(leadMedian, year),
      change_failure_rate: classifyChangeFailureRate(changeFailureRate, year),
      time_to_restore: classifyTimeToRestore(restoreMedian, year),
    },
    targets: {
      deployment_frequency: targets.deploymentFrequency,
      lead_time_hours: targets.leadTimeHours,
      change_failure_rate: targets.changeFailureRate,
      time_to_restore_hours: targets.timeToRestoreHours,
    },
  };
}

/** Production together (or one environment) plus every environment with deployments or attempts in the window. */
export function rollupReportByEnvironment(
  rows: readonly RollupRow[],
  from: Date,
  to: Date,
  scope: RollupScope,
  options: Pick<DoraOptions, "benchmarkYear" | "targets">,
): RollupReport & { environments: Record<string, RollupReport> } {
  const firstDay = dayOf(from);
  const lastDay = dayOf(new Date(to.getTime() - 1));
  const seen = new Set(rows.filter((row) => row.day >= firstDay && row.day <= lastDay && (row.deployments > 0 || row.failedAttempts > 0)).map((row) => row.environment));
  const names = scope.environment === undefined ? [...seen].sort() : [scope.environment];
  const environments = Object.fromEntries(
    names.map((name) => [name, rollupReport(rows, from, to, { productionPatterns: scope.productionPatterns, environment: name }, options)]),
  );
  const top = scope.environment === undefined ? rollupReport(rows, from, to, scope, options) : environments[scope.environment]!;
  return { ...top, environments };
}

// --- storage ---------------------------------------------------------------------

export interface RollupState {
  coveredFrom: string;
  refreshedAt: Date;
  settingsHash: string;
  /** A backfill wrote facts from this UTC day on; null: nothing stale. */
  staleFrom: string | null;
}

/** settings_hash of a state row that only carries the lease: no rollups built yet. */
const NOT_BUILT = "";

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

export async function readRollupState(prisma: PrismaClient): Promise<RollupState | null> {
  const row = await prisma.doraRollupState.findUnique({ where: { id: STATE_ID } });
  if (!row || row.settingsHash === NOT_BUILT) return null;
  return { coveredFrom: row.coveredFrom, refreshedAt: row.refreshedAt, settingsHash: row.settingsHash, staleFrom: row.staleFrom };
}

/**
 * Marks the rollups as needing a rebuild from `from`'s UTC day: facts were
 * written there after the last refresh (a backfill). Marks add up (the
 * earliest day wins); without rollups there is nothing to mark.
 */
export async function markRollupsStale(prisma: PrismaClient, from: Date): Promise<void> {
  const day = dayOf(from);
  await prisma.$executeRaw`
    UPDATE dora_rollup_state
    SET stale_from = LEAST(COALESCE(stale_from, ${day}), ${day}), stale_marked_at = UTC_TIMESTAMP(3)
    WHERE id = ${STATE_ID}`;
}

export async function readRollupRows(prisma: PrismaClient, repo: string | undefined, firstDay: string, lastDay: string): Promise<RollupRow[]> {
  const rows = await prisma.doraDailyRollup.findMany({
    where: { repo: repo ?? ALL_REPOS, day: { gte: firstDay, lte: lastDay } },
  });
  return rows.map(fromDatabase);
}

/** Deployments in the window's rows, to choose between rollups and exact measurement. */
export function deploymentsIn(rows: readonly RollupRow[]): number {
  return rows.reduce((sum, row) => sum + row.deployments, 0);
}

export interface RefreshOptions {
  /** First day rebuilt (its UTC midnight is the window start). */
  from: Date;
  to?: Date;
  doraOptions: Omit<DoraOptions, "from" | "to">;
  /** The capture store's reader (loadDoraInput bound to a client). */
  load: (query: DoraInputQuery) => Promise<DoraInput>;
  log?: (line: string) => void;
}

export interface RefreshOutcome {
  repos: number;
  rows: number;
  from: string;
  to: string;
  seconds: number;
}

/**
 * Rebuilds the rows of every repo for the UTC days from `from` to `to`
 * (default now), then the ALL_REPOS rows, then the state. Idempotent: each
 * repo's days are replaced in one transaction. Days a backfill marked stale
 * are rebuilt too: `from` moves back to the mark (not before the covered
 * range), and the mark is cleared unless a backfill marked again meanwhile.
 * Not exclusive: the service and the CLI go through refreshDoraRollupsExclusive.
 */
export async function refreshDoraRollups(prisma: PrismaClient, options: RefreshOptions): Promise<RefreshOutcome> {
  const started = performance.now();
  const to = options.to ?? new Date();
  const hash = settingsHash(options.doraOptions);
  const before = await prisma.doraRollupState.findUnique({ where: { id: STATE_ID } });
  let firstDay = dayOf(options.from);
  if (before?.staleFrom && before.settingsHash === hash && before.staleFrom < firstDay) {
    firstDay = before.staleFrom > before.coveredFrom ? before.staleFrom : before.coveredFrom;
    options.log?.(`dora rollups: rebuilding from ${firstDay}, marked stale by a backfill`);
  }
  const from = new Date(`${firstDay}T00:00:00Z`);
  const lastDay = dayOf(new Date(to.getTime() - 1));
  const dayRange = { gte: firstDay, lte: lastDay };
  const computedAt = new Date();
  const repos = await distinctRepos(prisma);
  let rowCount = 0;
  for (const repo of repos) {
    const input = await options.load({ repo, from, to });
    const rows = rollupRows(repo, input, { ...options.doraOptions, from, to });
    await prisma.$transaction([
      prisma.doraDailyRollup.deleteMany({ where: { repo, day: dayRange } }),
      prisma.doraDailyRollup.createMany({ data: rows.map((row) => toDatabase(row, computedAt)) }),
    ]);
    rowCount += rows.length;
    options.log?.(`dora rollups: ${repo} ${rows.length} rows`);
  }
  const sums = sumRows(await readRepoRows(prisma, dayRange));
  await prisma.$transaction([
    prisma.doraDailyRollup.deleteMany({ where: { repo: ALL_REPOS, day: dayRange } }),
    prisma.doraDailyRollup.createMany({ data: sums.map((row) => toDatabase(row, computedAt)) }),
  ]);
  const previous = await readRollupState(prisma);
  // Coverage only grows from a contiguous refresh under the same settings.
  const coveredFrom = previous && previous.settingsHash === hash && previous.coveredFrom < firstDay && dayOf(previous.refreshedAt) >= firstDay ? previous.coveredFrom : firstDay;
  await prisma.doraRollupState.upsert({
    where: { id: STATE_ID },
    create: { id: STATE_ID, coveredFrom, refreshedAt: to, settingsHash: hash },
    update: { coveredFrom, refreshedAt: to, settingsHash: hash },
  });
  if (before?.staleMarkedAt) {
    // Rebuilt (or, under new settings, no longer covered); a mark made while this ran stays.
    await prisma.doraRollupState.updateMany({ where: { id: STATE_ID, staleMarkedAt: before.staleMarkedAt }, data: { staleFrom: null, staleMarkedAt: null } });
  }
  return { repos: repos.length, rows: rowCount + sums.length, from: from.toISOString(), to: to.toISOString(), seconds: Math.round(performance.now() - started) / 1000 };
}

// --- the refresh lease -------------------------------------------------------------

/** Lease length; renewed every third of it while the refresh runs. */
export const DEFAULT_REFRESH_LEASE_SECONDS = 600;

export interface RefreshLease {
  holder: string;
  until: Date;
}

/**
 * Takes the refresh lease if it is free or lapsed: true when `holder` holds it
 * now. Times are the database's clock (UTC), so replicas' clocks do not matter.
 */
export async function takeRefreshLease(prisma: PrismaClient, holder: string, seconds = DEFAULT_REFRESH_LEASE_SECONDS): Promise<boolean> {
  // The lease lives on the state row; before the first build the row carries only the lease.
  await prisma.$executeRaw`
    INSERT IGNORE INTO dora_rollup_state (id, covered_from, refreshed_at, settings_hash)
    VALUES (${STATE_ID}, '', '1970-01-01 00:00:00', ${NOT_BUILT})`;
  const taken = await prisma.$executeRaw`
    UPDATE dora_rollup_state
    SET refreshing_by = ${holder}, refreshing_until = UTC_TIMESTAMP(3) + INTERVAL ${seconds} SECOND
    WHERE id = ${STATE_ID} AND (refreshing_until IS NULL OR refreshing_until < UTC_TIMESTAMP(3))`;
  return taken === 1;
}

/** Extends the lease; false when `holder` no longer holds it (it lapsed and was taken). */
export async function renewRefreshLease(prisma: PrismaClient, holder: string, seconds = DEFAULT_REFRESH_LEASE_SECONDS): Promise<boolean> {
  const renewed = await prisma.$executeRaw`
    UPDATE dora_rollup_state SET refreshing_until = UTC_TIMESTAMP(3) + INTERVAL ${seconds} SECOND
    WHERE id = ${STATE_ID} AND refreshing_by = ${holder}`;
  return renewed === 1;
}

export async function releaseRefreshLease(prisma: PrismaClient, holder: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE dora_rollup_state SET refreshing_by = NULL, refreshing_until = NULL
    WHERE id = ${STATE_ID} AND refreshing_by = ${holder}`;
}

/** Who holds the lease, or null when it is free or lapsed. */
export async function readRefreshLease(prisma: PrismaClient): Promise<RefreshLease | null> {
  const rows = await prisma.$queryRaw<Array<{ holder: string; until: Date }>>`
    SELECT refreshing_by AS holder, refreshing_until AS until FROM dora_rollup_state
    WHERE id = ${STATE_ID} AND refreshing_by IS NOT NULL AND refreshing_until >= UTC_TIMESTAMP(3)`;
  return rows[0] ?? null;
}

export interface ExclusiveRefreshOptions extends RefreshOptions {
  /** Who refreshes: unique per refresh (instance id and a random part), shown to the others. */
  holder: string;
  leaseSeconds?: number;
}

/** Refreshed, or skipped because another refresh holds the lease. */
export type ExclusiveRefreshResult = { refreshed: RefreshOutcome } | { busy: RefreshLease | null };

/** refreshDoraRollups under the lease: across replicas, one refresh at a time. */
export function refreshDoraRollupsExclusive(prisma: PrismaClient, options: ExclusiveRefreshOptions): Promise<ExclusiveRefreshResult> {
  const { holder, leaseSeconds = DEFAULT_REFRESH_LEASE_SECONDS } = options;
  return trackRefresh(
    prisma,
    (async (): Promise<ExclusiveRefreshResult> => {
      if (!(await takeRefreshLease(prisma, holder, leaseSeconds))) return { busy: await readRefreshLease(prisma) };
      const heartbeat = setInterval(() => {
        renewRefreshLease(prisma, holder, leaseSeconds)
          .then((held) => {
            if (!held) options.log?.("dora rollups: refresh lease lost; another refresh may run too (harmless: idempotent)");
          })
          .catch((error: unknown) => options.log?.(`dora rollups: could not renew the refresh lease: ${error instanceof Error ? error.message : String(error)}`));
      }, (leaseSeconds * 1000) / 3);
      heartbeat.unref();
      try {
        return { refreshed: await refreshDoraRollups(prisma, options) };
      } finally {
        clearInterval(heartbeat);
        await releaseRefreshLease(prisma, holder);
      }
    })(),
  );
}

// Refreshes in flight per client, so whoever disconnects the client (the
// service's stop) can wait for them whoever started them.
const refreshesInFlight = new WeakMap<PrismaClient, Set<Promise<unknown>>>();

function trackRefresh<T>(prisma: PrismaClient, work: Promise<T>): Promise<T> {
  let running = refreshesInFlight.get(prisma);
  if (!running) refreshesInFlight.set(prisma, (running = new Set()));
  const tracked = running;
  tracked.add(work);
  const forget = () => tracked.delete(work);
  work.then(forget, forget);
  return work;
}

/** Waits for the refreshes running on this client, at most `timeoutMs`; true when none is left. */
export async function rollupRefreshesSettled(prisma: PrismaClient, timeoutMs: number): Promise<boolean> {
  const running = [...(refreshesInFlight.get(prisma) ?? [])];
  if (running.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    Promise.allSettled(running).then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}

async function distinctRepos(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ repo: string }>>`
    SELECT repo FROM dora_deployments GROUP BY repo
    UNION SELECT repo FROM dora_incidents GROUP BY repo`;
  return rows.map((row) => row.repo).sort();
}

async function readRepoRows(prisma: PrismaClient, day: { gte: string; lte: string }): Promise<RollupRow[]> {
  return (await prisma.doraDailyRollup.findMany({ where: { repo: { not: ALL_REPOS }, day } })).map(fromDatabase);
}

function fromDatabase(row: DoraDailyRollup): RollupRow {
  return {
    repo: row.repo,
    environment: row.environment,
    day: row.day,
    deployments: row.deployments,
    failedDeployments: row.failedDeployments,
    reworkDeployments: row.reworkDeployments,
    failedAttempts: row.failedAttempts,
    leadTimeCount: row.leadTimeCount,
    histograms: row.leadTimeHistograms as RollupRow["histograms"],
    recoveryHours: row.recoveryHours as RollupRow["recoveryHours"],
    restoreHours: row.restoreHours as RollupRow["restoreHours"],
  };
}

function toDatabase(row: RollupRow, computedAt: Date) {
  return {
    repo: row.repo,
    environment: row.environment,
    day: row.day,
    deployments: row.deployments,
    failedDeployments: row.failedDeployments,
    reworkDeployments: row.reworkDeployments,
    failedAttempts: row.failedAttempts,
    leadTimeCount: row.leadTimeCount,
    leadTimeHistograms: row.histograms,
    recoveryHours: row.recoveryHours,
    restoreHours: row.restoreHours,
    computedAt,
  };
}
