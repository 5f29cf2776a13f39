// Time to restore service (incidents) and failed deployment recovery time.
import type { IncidentAttribution } from "./incident-attribution.js";
import type { DeploymentRecord, IncidentRecord } from "./records.js";
import { hoursBetween, median, percentile } from "./stats.js";
import { compareStrings, deploymentsByEnvironment, environmentKey } from "./timeline.js";

export interface IncidentRestore {
  incidentId: string;
  /** closedAt - openedAt; null while open. */
  restoreHours: number | null;
}

export interface TimeToRestore {
  /** Every measured incident, open ones with restoreHours null; in openedAt, then id, order. */
  incidents: IncidentRestore[];
  /** Closed incidents (the ones in the figure). */
  count: number;
  /** Open incidents: listed, never in the figure. */
  open: number;
  medianHours: number | null;
  p90Hours: number | null;
}

const isClosedBy = (incident: IncidentRecord, asOf: Date | undefined): incident is IncidentRecord & { closedAt: Date } =>
  incident.closedAt !== undefined && (asOf === undefined || incident.closedAt.getTime() < asOf.getTime());

/**
 * Incident opened -> closed for the incidents given (the caller picks which:
 * the report takes those opened in its window). An incident closed at or after
 * `asOf` (the end of the window) is still open as far as this figure knows.
 * Attributed or not, every incident counts: a restore is a restore.
 */
export function computeTimeToRestore(incidents: readonly IncidentRecord[], asOf?: Date): TimeToRestore {
  const ordered = [...incidents].sort(
    (a, b) => a.openedAt.getTime() - b.openedAt.getTime() || compareStrings(a.id, b.id),
  );
  const restores = ordered.map((incident) => ({
    incidentId: incident.id,
    restoreHours: isClosedBy(incident, asOf) ? hoursBetween(incident.openedAt, incident.closedAt) : null,
  }));
  const hours = restores.flatMap((restore) => (restore.restoreHours === null ? [] : [restore.restoreHours]));
  return {
    incidents: restores,
    count: hours.length,
    open: restores.length - hours.length,
    medianHours: median(hours),
    p90Hours: percentile(hours, 0.9),
  };
}

export interface DeploymentRecovery {
  deploymentId: string;
  /** Hours from the failed deployment to its recovery; null while not recovered. */
  recoveryHours: number | null;
  recoveredBy: "incident_closed" | "next_deployment" | null;
}

export interface FailedDeploymentRecovery {
  deployments: DeploymentRecovery[];
  /** Recovered deployments (the ones in the figure). */
  count: number;
  medianHours: number | null;
}

/**
 * Failed deployment -> the first of: an incident attributed to it closed, or
 * the next successful deployment of the same repo and environment. Events at
 * or after `asOf` have not happened yet.
 * `deployments` must hold every deployment (not just the window) so the next
 * one can be found.
 */
export function computeFailedDeploymentRecovery(
  failedDeploymentIds: readonly string[],
  deployments: readonly DeploymentRecord[],
  incidents: readonly IncidentRecord[],
  attributions: readonly IncidentAttribution[],
  asOf?: Date,
): FailedDeploymentRecovery {
  const timelines = deploymentsByEnvironment(deployments);
  const deploymentById = new Map(deployments.map((deployment) => [deployment.id, deployment]));
  const incidentById = new Map(incidents.map((incident) => [incident.id, incident]));
  const before = (time: Date) => asOf === undefined || time.getTime() < asOf.getTime();

  const recoveries = failedDeploymentIds.map((deploymentId): DeploymentRecovery => {
    const deployment = deploymentById.get(deploymentId);
    if (deployment === undefined) return { deploymentId, recoveryHours: null, recoveredBy: null };
    const timeline = timelines.get(environmentKey(deployment.repo, deployment.environment)) ?? [];
    const next = timeline[timeline.indexOf(deployment) + 1];
    const candidates: { at: Date; by: "incident_closed" | "next_deployment" }[] = [];
    if (next !== undefined && before(next.deployedAt)) candidates.push({ at: next.deployedAt, by: "next_deployment" });
    for (const attribution of attributions) {
      if (attribution.deploymentId !== deploymentId) continue;
      const incident = incidentById.get(attribution.incidentId);
      if (incident !== undefined && isClosedBy(incident, asOf)) {
        candidates.push({ at: incident.closedAt, by: "incident_closed" });
      }
    }
    // Earliest wins; on a tie the incident closing is named (it is the explicit signal).
    candidates.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.by === b.by ? 0 : a.by === "incident_closed" ? -1 : 1));
    const first = candidates[0];
    return first === undefined
      ? { deploymentId, recoveryHours: null, recoveredBy: null }
      : { deploymentId, recoveryHours: hoursBetween(deployment.deployedAt, first.at), recoveredBy: first.by };
  });
  const hours = recoveries.flatMap((recovery) => (recovery.recoveryHours === null ? [] : [recovery.recoveryHours]));
  return { deployments: recoveries, count: hours.length, medianHours: median(hours) };
}
