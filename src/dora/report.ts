// The API-facing DORA report: records in, one plain JSON-ready object out.
// Keys are snake_case and are a contract with the HTTP API's clients.
import { assembleReport } from "./assemble.js";
import { computeChangeFailure, countFailedAttempts } from "./change-failure.js";
import type { DoraOptions, DoraReport, DoraReportByEnvironment } from "./contract.js";
import { computeDeploymentFrequency } from "./deployment-frequency.js";
import { computeLeadTime } from "./lead-time.js";
import { prepare, type PreparedFacts } from "./prepare.js";
import type { DoraInput, IncidentRecord } from "./records.js";
import { computeRework } from "./rework.js";
import { environmentScope, incidentHome, productionScope, scopeOf, type MeasuredScope } from "./scope.js";
import { computeFailedDeploymentRecovery, computeTimeToRestore } from "./time-to-restore.js";
import { compareDeployments, compareStrings } from "./timeline.js";

export type { DoraOptions, DoraReport, DoraReportByEnvironment } from "./contract.js";

/**
 * The report for the production environments together, or for
 * `options.environment` alone. See the header of index.ts for the rules.
 */
export function computeDoraReport(input: DoraInput, options: DoraOptions): DoraReport {
  const facts = prepare(input, options);
  return buildReport(facts, scopeOf(options.environment, facts.productionPatterns));
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

function buildReport(facts: PreparedFacts, scope: MeasuredScope): DoraReport {
  const { options, input, attributions, rollbacks, reverts } = facts;
  const window = { from: options.from, to: options.to };
  const from = options.from.getTime();
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
    (incident) => incident.openedAt.getTime() >= from && scope.includesHome(incidentHome(incident, attributedDeployment(incident))),
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
    { hotfixPatterns: facts.hotfixPatterns },
  );

  // 5. judgement and the contract's shape, shared with the rollup path
  const figures = assembleReport(
    {
      window: { from: options.from, to: options.to, days: frequency.windowDays },
      frequency,
      leadTime: {
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
      changeFailureRate: changeFailure.rate,
      failedDeployments: changeFailure.failedDeployments.length,
      failedAttempts,
      restore: { median: restore.medianHours, p90: restore.p90Hours, count: restore.count, open: restore.open },
      recovery: { median: recovery.medianHours, count: recovery.count },
      reworkRate: rework.rate,
    },
    options,
  );

  // 6. the ids behind each figure
  return {
    ...figures,
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
