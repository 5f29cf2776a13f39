// The API-facing DORA report: records in, one plain JSON-ready object out.
// Keys are snake_case and are a contract with the HTTP API's clients.
import { computeChangeFailure, countFailedAttempts, type FailureReason } from "./change-failure.js";
import {
  classifyChangeFailureRate,
  classifyDeploymentFrequency,
  classifyLeadTime,
  classifyTimeToRestore,
  DEFAULT_BENCHMARK_YEAR,
  type BenchmarkYear,
  type Classification,
} from "./classification.js";
import { computeDeploymentFrequency } from "./deployment-frequency.js";
import { DEFAULT_HOTFIX_PATTERNS, type HotfixPatterns } from "./hotfix.js";
import {
  attributeIncidents,
  DEFAULT_INCIDENT_WINDOW_HOURS,
  DEFAULT_PRODUCTION_PATTERNS,
  isProductionEnvironment,
  type AttributionMethod,
  type IncidentAttribution,
} from "./incident-attribution.js";
import { computeLeadTime } from "./lead-time.js";
import { normaliseInput, type NormalisedInput } from "./normalise.js";
import type { DeploymentRecord, DoraInput, IncidentRecord, PullRequestRef } from "./records.js";
import { computeRework } from "./rework.js";
import { findReverts, type Revert } from "./revert.js";
import { findRollbacks, type Rollback } from "./rollback.js";
import { evaluateTargets, type TargetResult, type Targets } from "./targets.js";
import { computeFailedDeploymentRecovery, computeTimeToRestore } from "./time-to-restore.js";
import { compareDeployments, compareStrings } from "./timeline.js";

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

/**
 * The report for the production environments together, or for
 * `options.environment` alone. See the header of index.ts for the rules.
 */
export function computeDoraReport(input: DoraInput, options: DoraOptions): DoraReport {
  const facts = prepare(input, options);
  return options.environment === undefined
    ? buildReport(facts, productionScope(facts.productionPatterns))
    : buildReport(facts, environmentScope(options.environment, facts.productionPatterns));
}

/** Production together at the top level, plus `environments`: every environment seen, on its own. */
export function computeDoraByEnvironment(
  input: DoraInput,
  options: Omit<DoraOptions, "environment">,
): DoraReportByEnvironment {
  const facts = prepare(input, options);
  const names = new Set([
    ...facts.input.deployments.map((deployment) => deployment.environment),
    ...facts.input.attempts.map((attempt) => attempt.environment),
  ]);
  const environments: Record<string, DoraReport> = {};
  for (const name of [...names].sort(compareStrings)) {
    environments[name] = buildReport(facts, environmentScope(name, facts.productionPatterns));
  }
  return { ...buildReport(facts, productionScope(facts.productionPatterns)), environments };
}

/** What every scope shares: normalised input and the repo-wide derivations. */
interface Facts {
  options: DoraOptions;
  productionPatterns: readonly RegExp[];
  input: NormalisedInput;
  attributions: IncidentAttribution[];
  rollbacks: Rollback[];
  reverts: Revert[];
}

/** Which environments and which incidents one report covers. */
interface Scope {
  includesEnvironment(environment: string): boolean;
  /** Whether the incident's home (see productionScope) is in this scope. */
  includesIncident(incident: IncidentRecord, attributedTo: DeploymentRecord | undefined): boolean;
}

function prepare(input: DoraInput, options: DoraOptions): Facts {
  const { from, to } = options;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to.getTime() <= from.getTime()) {
    throw new RangeError(
      `DORA window must have valid dates with from < to; got from=${String(from)} to=${String(to)}`,
    );
  }
  const incidentWindowHours = options.incidentWindowHours ?? DEFAULT_INCIDENT_WINDOW_HOURS;
  if (!(incidentWindowHours >= 0)) {
    throw new RangeError(`incidentWindowHours must be a number >= 0; got ${incidentWindowHours}`);
  }
  const productionPatterns = options.productionPatterns ?? DEFAULT_PRODUCTION_PATTERNS;
  // 1. facts known at `to`, deduplicated
  const normalised = normaliseInput(input, to);
  // 2. repo-wide derivations, computed once for every scope
  return {
    options,
    productionPatterns,
    input: normalised,
    attributions: attributeIncidents(normalised.incidents, normalised.deployments, normalised.changes, {
      productionPatterns,
      incidentWindowHours,
    }),
    rollbacks: findRollbacks(normalised.deployments),
    reverts: findReverts(normalised.deployments, normalised.changes, normalised.pullRequests),
  };
}

// An incident's home: the environment it names; else the environment of the
// deployment it is attributed to; else production (incidents belong to a repo,
// and what users see is production).
function productionScope(productionPatterns: readonly RegExp[]): Scope {
  const isProduction = (environment: string) => isProductionEnvironment(environment, productionPatterns);
  return {
    includesEnvironment: isProduction,
    includesIncident: (incident, attributedTo) =>
      incident.environment !== undefined
        ? isProduction(incident.environment)
        : attributedTo === undefined || isProduction(attributedTo.environment),
  };
}

function environmentScope(name: string, productionPatterns: readonly RegExp[]): Scope {
  return {
    includesEnvironment: (environment) => environment === name,
    includesIncident: (incident, attributedTo) =>
      incident.environment !== undefined
        ? incident.environment.toLowerCase() === name.toLowerCase()
        : attributedTo !== undefined
          ? attributedTo.environment === name
          : isProductionEnvironment(name, productionPatterns),
  };
}

function buildReport(facts: Facts, scope: Scope): DoraReport {
  const { options, input, attributions, rollbacks, reverts } = facts;
  const window = { from: options.from, to: options.to };
  const from = options.from.getTime();
  const year = options.benchmarkYear ?? DEFAULT_BENCHMARK_YEAR;
  const deploymentById = new Map(input.deployments.map((deployment) => [deployment.id, deployment]));
  const attributionOf = new Map(attributions.map((attribution) => [attribution.incidentId, attribution]));
  const attributedDeployment = (incident: IncidentRecord) => {
    const deploymentId = attributionOf.get(incident.id)?.deploymentId;
    return deploymentId ? deploymentById.get(deploymentId) : undefined;
  };

  // 3. what this report measures
  const scopedDeployments = input.deployments.filter((d) => scope.includesEnvironment(d.environment));
  const measuredDeployments = scopedDeployments
    .filter((deployment) => deployment.deployedAt.getTime() >= from)
    .sort(compareDeployments);
  const measuredIncidents = input.incidents.filter(
    (incident) => incident.openedAt.getTime() >= from && scope.includesIncident(incident, attributedDeployment(incident)),
  );

  // 4. the metrics
  const frequency = computeDeploymentFrequency(scopedDeployments, window, { timeZone: options.timeZone ?? "UTC" });
  const leadTime = computeLeadTime(measuredDeployments, input.changes, input.pullRequests);
  const changeFailure = computeChangeFailure({ deployments: measuredDeployments, attributions, rollbacks, reverts });
  const failedAttempts = countFailedAttempts(input.attempts, window, scope.includesEnvironment);
  const restore = computeTimeToRestore(measuredIncidents, options.to);
  const recovery = computeFailedDeploymentRecovery(
    changeFailure.failedDeployments.map((failed) => failed.deploymentId),
    input.deployments,
    input.incidents,
    attributions,
    options.to,
  );
  const rework = computeRework(
    {
      deployments: measuredDeployments,
      allDeployments: input.deployments,
      changes: input.changes,
      pullRequests: input.pullRequests,
      incidents: input.incidents,
      attributions,
      rollbacks,
    },
    { hotfixPatterns: { ...DEFAULT_HOTFIX_PATTERNS, ...definedOnly(options.hotfixPatterns ?? {}) } },
  );

  // 5. judgement: benchmark levels and the team's targets
  const targets = evaluateTargets(
    {
      deploymentsPerWeek: frequency.perWeek,
      leadTimeMedianHours: leadTime.medianHours,
      changeFailureRate: changeFailure.rate,
      timeToRestoreMedianHours: restore.medianHours,
    },
    options.targets,
  );

  // 6. the contract's shape
  return {
    window: { from: options.from.toISOString(), to: options.to.toISOString(), days: frequency.windowDays },
    deployment_frequency: {
      deployments: frequency.deployments,
      deploy_days: frequency.deployDays,
      per_day: frequency.perDay,
      per_week: frequency.perWeek,
      per_month: frequency.perMonth,
      median_deploy_days_per_week: frequency.medianDeployDaysPerWeek,
    },
    lead_time_hours: {
      median: leadTime.medianHours,
      p90: leadTime.p90Hours,
      count: leadTime.count,
      breakdown: {
        coding: leadTime.breakdown.codingHours,
        pickup: leadTime.breakdown.pickupHours,
        review: leadTime.breakdown.reviewHours,
        deploy: leadTime.breakdown.deployHours,
      },
    },
    change_failure_rate: changeFailure.rate,
    failed_deployments: changeFailure.failedDeployments.length,
    failed_deployment_attempts: failedAttempts,
    time_to_restore_hours: {
      median: restore.medianHours,
      p90: restore.p90Hours,
      count: restore.count,
      open: restore.open,
    },
    failed_deployment_recovery_hours: { median: recovery.medianHours, count: recovery.count },
    rework_rate: rework.rate,
    classification: {
      benchmark_year: year,
      deployment_frequency: classifyDeploymentFrequency(frequency, year),
      lead_time: classifyLeadTime(leadTime.medianHours, year),
      change_failure_rate: classifyChangeFailureRate(changeFailure.rate, year),
      time_to_restore: classifyTimeToRestore(restore.medianHours, year),
    },
    targets: {
      deployment_frequency: targets.deploymentFrequency,
      lead_time_hours: targets.leadTimeHours,
      change_failure_rate: targets.changeFailureRate,
      time_to_restore_hours: targets.timeToRestoreHours,
    },
    evidence: {
      deployments: measuredDeployments.map((deployment) => deployment.id),
      failed_deployments: changeFailure.failedDeployments.map((failed) => ({
        deployment_id: failed.deploymentId,
        reasons: failed.reasons,
        ...(failed.reasons.includes("incident") ? { incident_ids: failed.incidentIds } : {}),
      })),
      changes: leadTime.items.map((item) => ({
        deployment_id: item.deploymentId,
        sha: item.sha,
        ...(item.pullRequest ? { pull_request: item.pullRequest } : {}),
        lead_time_hours: item.leadTimeHours,
      })),
      incidents: restore.incidents.map((entry) => {
        const attribution = attributionOf.get(entry.incidentId);
        return {
          id: entry.incidentId,
          attributed_to: attribution?.deploymentId ?? null,
          how: attribution?.how ?? null,
          restore_hours: entry.restoreHours,
        };
      }),
    },
  };
}

function definedOnly<T extends object>(overrides: T): Partial<T> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<T>;
}
