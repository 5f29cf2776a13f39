// Daily rollups of the DORA facts, the storage half: what the measurer
// (src/metrics/measure.ts) reads when a window holds too many records to
// measure on each request (1M deployments and 10M changes cannot be loaded in
// 100 ms; a few hundred rollup rows can). The rows' math (building, summing,
// reading a report) is pure and lives in src/dora/rollups.ts.
//
// Refreshing (refreshDoraRollups): per repo, the capture store's records
// for [from, to) become rows (rollupRows), replacing the days' rows in one
// transaction; then the sums over every repo (ALL_REPOS) and the state.
//
// Refreshing across replicas (refreshDoraRollupsExclusive): one refresh at a
// time, by a lease on the state row taken with a conditional UPDATE (a
// GET_LOCK would belong to one pooled connection, and Prisma may run the
// next query on another). The lease is renewed while the refresh runs and
// lapses when its holder dies. A backfill marks the days it wrote as stale
// (markRollupsStale); the next refresh rebuilds from there.
import { ALL_REPOS, dayOf, rollupRows, settingsHash, sumRows } from "../dora/index.js";
import type { DoraInput, DoraOptions, RollupRow } from "../dora/index.js";
import type { DoraInputQuery } from "./dora-records.js";
import type { DoraDailyRollup } from "./generated/client.js";
import type { PrismaClient } from "./prisma.js";

const STATE_ID = 1;

export interface RollupState {
  coveredFrom: string;
  refreshedAt: Date;
  settingsHash: string;
  /** A backfill wrote facts from this UTC day on; null: nothing stale. */
  staleFrom: string | null;
}

/** settings_hash of a state row that only carries the lease: no rollups built yet. */
const NOT_BUILT = "";

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
