// The one measurer of DORA figures. The HTTP API, the CLI, the benchmarks
// and every later reader (report issues, the query API, the dashboard) ask
// it, so the same query gives the same figure wherever it is shown.
//
// A query is plain: a window of `days` ending now (or an explicit calendar
// `window`, measured exactly: monthly reports), at most one of `repo` or
// `installation`, an optional `environment`, an optional `benchmark` year.
// The measurer
//   1. picks the settings: a query naming `repo` is measured with that
//      repository's settings as capture recorded them (production patterns,
//      incident window, hotfix patterns, targets, benchmark year); otherwise,
//      or when none are stored, the service's (defaultDoraConfig unless one
//      is injected);
//   2. chooses how to measure (`method` in the answer):
//      - "rollup": read the daily rollups (src/store/dora-rollups.ts) when
//        they exist, cover the window and were built with the same rollup
//        settings (settingsHash). The window is then the last `days` UTC
//        calendar days up to the last refresh (`asOf`). Rollups exist per
//        repository and for all repositories, so an installation's answer,
//        or a repository whose patterns differ from the service's, is exact;
//      - "exact": load the window's records (src/store/dora-records.ts) and
//        run the core over [now - days, now);
//   3. computes with src/dora (computeDoraByEnvironment / rollupReport),
//      which classify and hold the figures against the targets the same way
//      on both paths (src/dora/assemble.ts).
// Evidence is always exact: the records behind a figure, selected by
// src/dora/evidence.ts from the same measurement as the figure.
//
// Rollups are kept fresh from here (settings: src/config/rollup-settings.ts):
// an answer read from rollups older than `maxAgeMs` starts one background
// refresh of the recent days; an exact answer that loaded at least
// `buildFromDeployments` deployments, without rollups, starts the first
// build. Refreshes go through the rollups' lease: across replicas one runs,
// the others skip theirs.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { defaultDoraConfig, doraOptions, withBenchmark } from "../config/dora-config.js";
import type { DoraConfig } from "../config/dora-config.js";
import { DEFAULT_ROLLUP_SETTINGS } from "../config/rollup-settings.js";
import type { RollupSettings } from "../config/rollup-settings.js";
import { computeDoraByEnvironment, computeDoraReport, deploymentsIn, MS_PER_DAY, rollupReportByEnvironment, selectEvidence, settingsHash } from "../dora/index.js";
import type { BenchmarkYear, DoraFigures, DoraInput, DoraOptions, DoraReport, EvidenceFigure, FigureEvidence } from "../dora/index.js";
import type { DoraInputQuery } from "../store/dora-records.js";
import { readRepoSettings } from "../store/dora-repo-settings.js";
import { readRollupRows, readRollupState, refreshDoraRollupsExclusive } from "../store/dora-rollups.js";
import type { PrismaClient } from "../store/prisma.js";

/** What to measure. `repo` and `installation` exclude each other (a repository belongs to one installation). */
export interface MeasureQuery {
  /** The window: the last `days` days, ending now. Ignored when `window` is given. */
  days: number;
  /** An explicit window [from, to), measured exactly from the records (never from rollups): a calendar month for a report. */
  window?: { from: Date; to: Date };
  /** "owner/name": this repository alone, with its recorded settings. */
  repo?: string;
  /** The repositories of one installation, together. */
  installation?: number;
  /** One environment (lower-case) instead of the production environments together. */
  environment?: string;
  /** The classification year for this answer; default the settings'. */
  benchmark?: BenchmarkYear;
}

export type DoraInputLoader = (query: DoraInputQuery) => Promise<DoraInput>;

/** The settings an answer was measured with, and where they came from. */
export interface AppliedSettings {
  /** repository: the repository's settings recorded by capture; defaults: the service's. */
  source: "defaults" | "repository";
  config: DoraConfig;
  /** repository: when capture recorded them. */
  updatedAt?: Date;
}

export interface Measurement {
  method: "exact" | "rollup";
  settings: AppliedSettings;
  /** When the facts measured were read: now (exact) or the rollups' last refresh. */
  asOf: Date;
  /** Production together (or `environment` alone), with every environment under `environments`. */
  report: DoraFigures & { environments: Record<string, DoraFigures> };
}

/** The records behind one figure, from an exact measurement of the query. */
export interface EvidenceMeasurement {
  settings: AppliedSettings;
  window: DoraReport["window"];
  evidence: FigureEvidence;
}

export interface MeasurerOptions {
  load: DoraInputLoader;
  /** Without a client there are no rollups and no recorded settings: every answer is exact, with the service's settings. */
  prisma?: PrismaClient;
  config?: DoraConfig;
  rollups?: Partial<RollupSettings>;
  /** Names this process in the refresh lease. Default host:pid. */
  instanceId?: string;
  log?: Logger;
}

interface ExactMeasurement {
  input: DoraInput;
  options: DoraOptions;
  /** `environments` is empty when the caller asked for the measured scope only (evidence). */
  report: DoraReport & { environments: Record<string, DoraReport> };
}

export class DoraMeasurer {
  private refreshing: Promise<unknown> | undefined;
  private readonly rollups: RollupSettings;

  constructor(private readonly options: MeasurerOptions) {
    this.rollups = { ...DEFAULT_ROLLUP_SETTINGS, ...options.rollups };
  }

  get config(): DoraConfig {
    return this.options.config ?? defaultDoraConfig;
  }

  /** The settings to measure `repo` with: its recorded settings when capture stored some that still validate, else the service's. */
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

  /** The figures of `query` at `now`, from rollups when they serve it, else exact. `exact` forces the exact path (benchmarks). */
  async measure(query: MeasureQuery, now: Date, how: { exact?: boolean } = {}): Promise<Measurement> {
    const applied = await this.settingsFor(query.repo);
    const config = withBenchmark(applied.config, query.benchmark);
    if (!how.exact && !query.window) {
      const fromRollups = await this.fromRollups(query, now, config);
      if (fromRollups) return { method: "rollup", settings: applied, asOf: fromRollups.asOf, report: fromRollups.report };
    }
    const measured = await this.exactly(query, now, config);
    const { prisma } = this.options;
    if (prisma && measured.input.deployments.length >= this.rollups.buildFromDeployments && !(await readRollupState(prisma))) {
      this.refreshInBackground(new Date(now.getTime() - this.rollups.initialDays * MS_PER_DAY), now);
    }
    const { environments, ...top } = measured.report;
    return {
      method: "exact",
      settings: applied,
      asOf: now,
      report: { ...withoutEvidence(top), environments: Object.fromEntries(Object.entries(environments).map(([name, report]) => [name, withoutEvidence(report)])) },
    };
  }

  /** The records behind `figure` for `query`: always exact over [now - days, now) (or `window`), with the settings measure() uses. */
  async evidence(query: MeasureQuery, figure: EvidenceFigure, now: Date): Promise<EvidenceMeasurement> {
    const [measured] = await this.evidenceOf(query, [figure], now);
    return measured!;
  }

  /** evidence() of several figures from one measurement: the records are loaded once. */
  async evidenceOf(query: MeasureQuery, figures: readonly EvidenceFigure[], now: Date): Promise<EvidenceMeasurement[]> {
    const applied = await this.settingsFor(query.repo);
    // Evidence is of the measured scope only: the other environments' reports are not computed.
    const { input, report, options } = await this.exactly(query, now, withBenchmark(applied.config, query.benchmark), { environments: false });
    return figures.map((figure) => ({ settings: applied, window: report.window, evidence: selectEvidence(figure, input, report, options) }));
  }

  /** The rollups' answer, or undefined when they do not serve this query (absent, other settings, not covering, too few deployments). */
  private async fromRollups(query: MeasureQuery, now: Date, config: DoraConfig): Promise<{ asOf: Date; report: Measurement["report"] } | undefined> {
    const { prisma } = this.options;
    // No rollups per installation: an installation's answer is exact.
    if (!prisma || query.installation !== undefined) return undefined;
    const state = await readRollupState(prisma);
    const settings = doraOptions(config, now, now);
    // Targets and the benchmark year are applied when reading: only the
    // settings that shape the rollups (settingsHash) must match.
    if (!state || state.settingsHash !== settingsHash(settings)) return undefined;
    if (now.getTime() - state.refreshedAt.getTime() > this.rollups.maxAgeMs) {
      this.refreshInBackground(new Date(state.refreshedAt.getTime() - this.rollups.refreshOverlapDays * MS_PER_DAY), now);
    }
    const to = state.refreshedAt;
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (query.days - 1) * MS_PER_DAY);
    const firstDay = from.toISOString().slice(0, 10);
    if (state.coveredFrom > firstDay || to.getTime() <= from.getTime()) return undefined;
    const rows = await readRollupRows(prisma, query.repo, firstDay, new Date(to.getTime() - 1).toISOString().slice(0, 10));
    if (deploymentsIn(rows) < this.rollups.readFromDeployments) return undefined;
    const scope = { productionPatterns: settings.productionPatterns!, ...(query.environment ? { environment: query.environment } : {}) };
    return { asOf: to, report: rollupReportByEnvironment(rows, from, to, scope, settings) };
  }

  /** The window [now - days, now), or `window` when given, measured from records, evidence included. */
  private async exactly(query: MeasureQuery, now: Date, config: DoraConfig, what: { environments: boolean } = { environments: true }): Promise<ExactMeasurement> {
    const to = query.window ? query.window.to : now;
    const from = query.window ? query.window.from : new Date(now.getTime() - query.days * MS_PER_DAY);
    // The environment filter is applied by the core, not the loader:
    // attributing an incident needs the repo's production deployments
    // whatever is measured.
    const input = await this.options.load({ from, to, ...(query.repo ? { repo: query.repo } : {}), ...(query.installation !== undefined ? { installationId: query.installation } : {}) });
    const options = doraOptions(config, from, to);
    if (query.environment === undefined && !what.environments) return { input, options, report: { ...computeDoraReport(input, options), environments: {} } };
    const all = computeDoraByEnvironment(input, options);
    if (query.environment === undefined) return { input, options, report: all };
    const single = all.environments[query.environment] ?? computeDoraReport(input, { ...options, environment: query.environment });
    return { input, options: { ...options, environment: query.environment }, report: { ...single, environments: { [query.environment]: single } } };
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

function withoutEvidence(report: DoraReport): DoraFigures {
  const { evidence: _evidence, ...figures } = report;
  return figures;
}
