// Change failure rate: the share of deployments that led to a failure.
import type { IncidentAttribution } from "./incident-attribution.js";
import type { DeploymentAttemptRecord, DeploymentRecord, TimeWindow } from "./records.js";
import type { Revert } from "./revert.js";
import type { Rollback } from "./rollback.js";
import { ratio } from "./stats.js";
import { compareDeployments, compareStrings } from "./timeline.js";

export type FailureReason = "incident" | "rollback" | "revert";
const REASON_ORDER: readonly FailureReason[] = ["incident", "rollback", "revert"];

export interface FailedDeployment {
  deploymentId: string;
  /** Distinct, in the order incident, rollback, revert. */
  reasons: FailureReason[];
  /** Incidents attributed to the deployment, sorted; empty unless reasons has "incident". */
  incidentIds: string[];
}

export interface ChangeFailure {
  deployments: number;
  failedDeployments: FailedDeployment[];
  /** failed / deployments, 0..1; null without deployments. */
  rate: number | null;
}

export interface ChangeFailureInput {
  /** The deployments measured (window and environments chosen by the caller). */
  deployments: readonly DeploymentRecord[];
  /** Attributions of the incidents known at the end of the window (unattributed ones are ignored). */
  attributions: readonly IncidentAttribution[];
  rollbacks: readonly Rollback[];
  reverts: readonly Revert[];
}

/**
 * A deployment failed when (a) an incident is attributed to it, (b) a later
 * deployment rolled back from it, or (c) a later deployment reverted one of its
 * changes. Failed deployment ATTEMPTS are not deployments and never count here
 * (see countFailedAttempts).
 */
export function computeChangeFailure(input: ChangeFailureInput): ChangeFailure {
  const reasonsOf = new Map<string, Set<FailureReason>>();
  const incidentsOf = new Map<string, string[]>();
  const flag = (deploymentId: string, reason: FailureReason) => {
    const reasons = reasonsOf.get(deploymentId) ?? new Set<FailureReason>();
    reasons.add(reason);
    reasonsOf.set(deploymentId, reasons);
  };
  for (const attribution of input.attributions) {
    if (attribution.deploymentId === null) continue;
    flag(attribution.deploymentId, "incident");
    incidentsOf.set(attribution.deploymentId, [...(incidentsOf.get(attribution.deploymentId) ?? []), attribution.incidentId]);
  }
  for (const rollback of input.rollbacks) flag(rollback.rolledBackDeploymentId, "rollback");
  for (const revert of input.reverts) flag(revert.revertedDeploymentId, "revert");

  const failedDeployments = [...input.deployments]
    .sort(compareDeployments)
    .flatMap((deployment): FailedDeployment[] => {
      const reasons = reasonsOf.get(deployment.id);
      if (reasons === undefined) return [];
      return [
        {
          deploymentId: deployment.id,
          reasons: REASON_ORDER.filter((reason) => reasons.has(reason)),
          incidentIds: [...(incidentsOf.get(deployment.id) ?? [])].sort(compareStrings),
        },
      ];
    });
  return {
    deployments: input.deployments.length,
    failedDeployments,
    rate: ratio(failedDeployments.length, input.deployments.length),
  };
}

/** Failed attempts with failedAt in [from, to) whose environment passes `includeEnvironment`. */
export function countFailedAttempts(
  attempts: readonly DeploymentAttemptRecord[],
  window: TimeWindow,
  includeEnvironment: (environment: string) => boolean = () => true,
): number {
  const from = window.from.getTime();
  const to = window.to.getTime();
  return attempts.filter(
    (attempt) =>
      attempt.failedAt.getTime() >= from && attempt.failedAt.getTime() < to && includeEnvironment(attempt.environment),
  ).length;
}
