// Where the API's GitHub-derived DORA figures come from: the capture layer's
// records for a window (loadDoraInput in src/store/dora-records.ts), measured
// by the pure core with the DORA settings. Shared by /api/dora/metrics and
// /api/dora/evidence so a figure and its evidence come from the same records
// and the same rules.
//
// Two ways to measure (`dora.method` in the answer):
// - "exact": load the window's records and run the core (the window is
//   [now - days, now)). Used whenever the window is small, and always by the
//   evidence route.
// - "rollup": read the daily rollups (src/store/dora-rollups.ts) when they
//   exist, cover the window and were built with the same settings. The window
//   is the last `days` UTC calendar days up to the last refresh (`dora.as_of`).
//   Even a small window is read from rollups then: an exact answer's cost
//   depends on the size of the tables, not only on the window's records
//   (1.2 s for 30 days of one repo among 1M deployments), so once rollups
//   exist every covered answer stays fast.
// Rollups are kept fresh from here: an answer older than `rollupMaxAgeMs`
// starts one background refresh of the recent days; an exact answer that
// loaded at least `exactLimit` deployments, without rollups, starts the first
// build. Small installations therefore stay exact. Refreshes go through the
// rollups' lease: across replicas one runs, the others skip theirs.
//
// Settings (`dora.settings` in the answer): capture records each
// repository's effective `dora` settings (src/store/dora-repo-settings.ts);
// a query naming `repo` is measured with that repository's stored settings
// (production patterns, incident window, hotfix patterns, targets, benchmark
// year). Rollups are built with the service's settings, so when the
// repository's patterns or window differ (another rollup settings hash) the
// answer is exact. Without `repo`, or for a repository without stored
// settings, the service's settings apply: the defaults (defaultDoraConfig)
// unless a config is injected.
//
// `installation` measures the repositories of one installation together (an
// app installed on several organisations keeps them apart). Rollups exist per
// repository and for all repositories only, so such an answer is always
// exact, with the service's settings like every query without `repo`.
// `benchmark` picks the classification year for one answer; like targets, the
// year is applied when reading, so it works for exact and rollup answers.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { z } from "zod";
import { defaultDoraConfig, hotfixPatterns, productionPatterns, targetsOf } from "../../config/dora-config.js";
import type { DoraConfig } from "../../config/dora-config.js";
import { computeDoraByEnvironment, computeDoraReport } from "../../dora/index.js";
import type { BenchmarkYear, DoraInput, DoraOptions, DoraReport } from "../../dora/index.js";
import type { DoraInputQuery } from "../../store/dora-records.js";
import { readRepoSettings } from "../../store/dora-repo-settings.js";
import { deploymentsIn, readRollupRows, readRollupState, refreshDoraRollupsExclusive, rollupReportByEnvironment, settingsHash } from "../../store/dora-rollups.js";
import type { PrismaClient } from "../../store/prisma.js";
import { HttpError } from "../http-error.js";

export type { DoraInputQuery };

export type DoraInputLoader = (query: DoraInputQuery) => Promise<DoraInput>;

export const EMPTY_DORA_INPUT: DoraInput = { deployments: [], attempts: [], changes: [], pullRequests: [], incidents: [] };

export const MAX_DAYS = 3650;
const DAY_MS = 86_400_000;

export const doraQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1")
    .max(MAX_DAYS, `must be at most ${MAX_DAYS}`)
    .default(30)
    .describe("Length of the period in days, ending now"),
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name")
    .optional()
    .describe("Only this repository (owner/name); default: every repository"),
  environment: z
    .string()
    .min(1)
    .max(255)
    .transform((name) => name.toLowerCase())
    .optional()
    .describe("Measure this one environment instead of the production environments together (case-insensitive, as GitHub's names)"),
  installation: z
    .string()
    // At most 15 digits: every such id is a safe integer (GitHub's are 8-9 digits).
    .regex(/^[1-9]\d{0,14}$/, "must be an installation id (a positive whole number)")
    .transform(Number)
    .optional()
    .describe("Only the repositories of this GitHub App installation, measured together (always exact, with the default settings); not with `repo`"),
  benchmark: z
    .enum(["2023", "2021"], { error: "must be 2023 or 2021" })
    .transform((year): BenchmarkYear => (year === "2021" ? 2021 : 2023))
    .optional()
    .describe("The DORA benchmark year to classify with (dora.classification.benchmark_year); default: the settings' year"),
});

export type DoraQuery = z.output<typeof doraQuerySchema>;

/**
 * `repo` and `installation` are two scopes; a query names at most one
 * (a repository already belongs to one installation).
 */
export function assertOneScope(query: Pick<DoraQuery, "repo" | "installation">): void {
  if (query.repo === undefined || query.installation === undefined) return;
  throw new HttpError(400, "Invalid query: pass repo or installation, not both", [
    { field: "repo", message: "cannot be combined with installation" },
    { field: "installation", message: "cannot be combined with repo" },
  ]);
}

/** `dora.scope` of an answer. */
export function scopeSection(query: DoraQuery) {
  return { repo: query.repo ?? null, installation: query.installation ?? null, environment: query.environment ?? null };
}

/** The config to measure with: the settings', with the year `benchmark` asks for. */
export function withBenchmark(config: DoraConfig, benchmark: BenchmarkYear | undefined): DoraConfig {
  return benchmark === undefined ? config : { ...config, benchmark_year: benchmark };
}

export type ReportWithoutEvidence = Omit<DoraReport, "evidence">;

export interface MeasuredWindow {
  input: DoraInput;
  options: DoraOptions;
  /** Production together (or `environment` alone), with every environment under `environments`. */
  report: DoraReport & { environments: Record<string, DoraReport> };
}

/** The settings an answer was measured with, and where they came from. */
export interface AppliedSettings {
  /** repository: the repository's settings recorded by capture; defaults: the service's. */
  source: "defaults" | "repository";
  config: DoraConfig;
  /** repository: when capture recorded them. */
  updatedAt?: Date;
}

export interface MeasuredFigures {
  method: "exact" | "rollup";
  settings: AppliedSettings;
  /** When the facts measured were read: now (exact) or the rollups' last refresh. */
  asOf: Date;
  report: ReportWithoutEvidence & { environments: Record<string, ReportWithoutEvidence> };
}

export function doraOptions(config: DoraConfig, from: Date, to: Date): DoraOptions {
  return {
    from,
    to,
    productionPatterns: productionPatterns(config),
    incidentWindowHours: config.incidents.window_hours,
    benchmarkYear: config.benchmark_year,
    targets: targetsOf(config),
    hotfixPatterns: hotfixPatterns(config),
  };
}

/** The window [now - days, now) measured exactly, evidence included. */
export async function measureWindow(
  load: DoraInputLoader,
  query: DoraQuery,
  now: Date,
  config: DoraConfig = defaultDoraConfig,
): Promise<MeasuredWindow> {
  const to = now;
  const from = new Date(now.getTime() - query.days * DAY_MS);
  // The environment filter is applied by the core, not the loader: attributing
  // an incident needs the repo's production deployments whatever is measured.
  const input = await load({ from, to, ...(query.repo ? { repo: query.repo } : {}), ...(query.installation !== undefined ? { installationId: query.installation } : {}) });
  const options = doraOptions(config, from, to);
  const all = computeDoraByEnvironment(input, options);
  if (query.environment === undefined) return { input, options, report: all };
  const single = all.environments[query.environment] ?? computeDoraReport(input, { ...options, environment: query.environment });
  return { input, options: { ...options, environment: query.environment }, report: { ...single, environments: { [query.environment]: single } } };
}

/** `dora.settings` of an answer (doraSettingsSchema), in the YAML's names. */
export function settingsSection(applied: AppliedSettings) {
  const { config } = applied;
  return {
    source: applied.source,
    updated_at: applied.updatedAt?.toISOString() ?? null,
    production: [...config.production],
    incident_window_hours: config.incidents.window_hours,
    hotfix: { labels: [...config.hotfix.labels], branches: [...config.hotfix.branches], titles: [...config.hotfix.titles] },
    targets: { ...config.targets },
    benchmark_year: config.benchmark_year,
  };
}

export function withoutEvidence(report: DoraReport): ReportWithoutEvidence {
  const { evidence: _evidence, ...rest } = report;
  return rest;
}

export interface MeasurerOptions {
  load: DoraInputLoader;
  /** Without a client there are no rollups: every answer is exact. */
  prisma?: PrismaClient;
  config?: DoraConfig;
  /** An exact answer loading this many deployments starts the first rollup build; covered windows with fewer stay exact. Default 500 (build), 0 (read). */
  exactLimit?: number;
  /** Rollups older than this are refreshed in the background. Default 5 minutes. */
  rollupMaxAgeMs?: number;
  /** Days rebuilt by a background refresh, before the last refresh (late facts). Default 7. */
  refreshOverlapDays?: number;
  /** Days the first build covers. Default 400. */
  initialRollupDays?: number;
  /** Names this process in the refresh lease. Default host:pid. */
  instanceId?: string;
  log?: Logger;
}

export class DoraMeasurer {
  private refreshing: Promise<unknown> | undefined;

  constructor(private readonly options: MeasurerOptions) {}

  get config(): DoraConfig {
    return this.options.config ?? defaultDoraConfig;
  }

  /**
   * The settings to measure `repo` with: its recorded settings when capture
   * stored some that still validate, else the service's.
   */
  async settingsFor(repo: string | undefined): Promise<AppliedSettings> {
    const { prisma, log } = this.options;
    const defaults: AppliedSettings = { source: "defaults", config: this.config };
    if (!repo || !prisma) return defaults;
    const stored = await readRepoSettings(prisma, repo);
    if (!stored.found) return defaults;
    if (!stored.valid) {
      log?.warn({ repository: repo, problem: stored.problem }, "stored DORA settings no longer validate; measuring with the defaults until capture records them again");
      return defaults;
    }
    return { source: "repository", config: stored.config, updatedAt: stored.updatedAt };
  }

  async measure(query: DoraQuery, now: Date): Promise<MeasuredFigures> {
    const { prisma } = this.options;
    const buildLimit = this.options.exactLimit ?? 500;
    const readLimit = this.options.exactLimit ?? 0;
    const applied = await this.settingsFor(query.repo);
    const config = withBenchmark(applied.config, query.benchmark);
    // No rollups per installation: an installation's answer is exact.
    if (prisma && query.installation === undefined) {
      const state = await readRollupState(prisma);
      const settings = doraOptions(config, now, now);
      // Targets and the benchmark year are applied when reading: only the
      // settings that shape the rollups (settingsHash) must match.
      if (state && state.settingsHash === settingsHash(settings)) {
        if (now.getTime() - state.refreshedAt.getTime() > (this.options.rollupMaxAgeMs ?? 300_000)) {
          this.refreshInBackground(new Date(state.refreshedAt.getTime() - (this.options.refreshOverlapDays ?? 7) * DAY_MS), now);
        }
        const to = state.refreshedAt;
        const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (query.days - 1) * DAY_MS);
        const firstDay = from.toISOString().slice(0, 10);
        if (state.coveredFrom <= firstDay && to.getTime() > from.getTime()) {
          const rows = await readRollupRows(prisma, query.repo, firstDay, new Date(to.getTime() - 1).toISOString().slice(0, 10));
          if (deploymentsIn(rows) >= readLimit) {
            const report = rollupReportByEnvironment(rows, from, to, { productionPatterns: settings.productionPatterns!, ...(query.environment ? { environment: query.environment } : {}) }, settings);
            return { method: "rollup", settings: applied, asOf: to, report };
          }
        }
      }
    }
    const measured = await measureWindow(this.options.load, query, now, config);
    if (prisma && measured.input.deployments.length >= buildLimit && !(await readRollupState(prisma))) {
      this.refreshInBackground(new Date(now.getTime() - (this.options.initialRollupDays ?? 400) * DAY_MS), now);
    }
    const { environments, ...top } = measured.report;
    return {
      method: "exact",
      settings: applied,
      asOf: now,
      report: { ...withoutEvidence(top), environments: Object.fromEntries(Object.entries(environments).map(([name, report]) => [name, withoutEvidence(report)])) },
    };
  }

  /**
   * One refresh at a time per process, and across replicas through the lease:
   * when another replica holds it, this one skips (that refresh serves both).
   * Failures are logged; the next stale answer retries.
   */
  refreshInBackground(from: Date, to: Date): void {
    const { prisma, log } = this.options;
    if (!prisma || this.refreshing) return;
    const holder = `${this.options.instanceId ?? `${hostname()}:${process.pid}`}:${randomUUID()}`;
    this.refreshing = refreshDoraRollupsExclusive(prisma, { from, to, doraOptions: doraOptions(this.config, from, to), load: this.options.load, holder, log: (line) => log?.debug(line) })
      .then((result) => {
        if ("refreshed" in result) log?.info({ rollups: result.refreshed }, "DORA rollups refreshed");
        else log?.debug({ lease: result.busy }, "DORA rollup refresh skipped: another refresh holds the lease");
      })
      .catch((error: unknown) => log?.error({ err: error }, "DORA rollup refresh failed; answers stay exact or stale until the next attempt"))
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  /** Resolves when no background refresh is running (tests, shutdown). */
  async idle(): Promise<void> {
    await this.refreshing;
  }
}
