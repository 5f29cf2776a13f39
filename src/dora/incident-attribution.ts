// Which deployment caused an incident. Incidents belong to a repo, not an
// environment: unless the incident names an environment, only production
// deployments are candidates.
import { matchesAny } from "./patterns.js";
import type { ChangeRecord, DeploymentRecord, IncidentRecord } from "./records.js";
import { shaMatches } from "./sha.js";
import { changesByDeployment, compareDeployments, compareStrings } from "./timeline.js";

export const DEFAULT_PRODUCTION_PATTERNS: readonly RegExp[] = [/^prod(uction)?$/i];
export const DEFAULT_INCIDENT_WINDOW_HOURS = 48;

export type AttributionMethod = "root_cause" | "window";

export interface IncidentAttribution {
  incidentId: string;
  /** null: not caused by a deployment (counts in time to restore, not in CFR). */
  deploymentId: string | null;
  how: AttributionMethod | null;
}

export interface AttributionOptions {
  productionPatterns?: readonly RegExp[];
  incidentWindowHours?: number;
}

export function isProductionEnvironment(
  environment: string,
  productionPatterns: readonly RegExp[] = DEFAULT_PRODUCTION_PATTERNS,
): boolean {
  return matchesAny(productionPatterns, environment);
}

/**
 * Attributes each incident to at most one deployment of its repo deployed at
 * or before the incident opened, among production deployments (or, when the
 * incident names an environment, that environment's deployments, compared
 * case-insensitively):
 * 1. root cause: the latest candidate whose own sha or one of whose changes'
 *    shas matches the incident's rootCauseSha (prefix match, >= 7 hex), so an
 *    earlier deploy that shipped the culprit wins over later deploys that did not;
 * 2. else window: the latest candidate, if it was deployed at most
 *    `incidentWindowHours` (default 48, inclusive) before the incident opened;
 * 3. else unattributed.
 * Returned in incident id order.
 */
export function attributeIncidents(
  incidents: readonly IncidentRecord[],
  deployments: readonly DeploymentRecord[],
  changes: readonly ChangeRecord[],
  options: AttributionOptions = {},
): IncidentAttribution[] {
  const productionPatterns = options.productionPatterns ?? DEFAULT_PRODUCTION_PATTERNS;
  const windowMs = (options.incidentWindowHours ?? DEFAULT_INCIDENT_WINDOW_HOURS) * 3_600_000;
  const changesOf = changesByDeployment(changes);
  // Latest first, so the first match is the latest candidate.
  const newestFirst = [...deployments].sort((a, b) => compareDeployments(b, a));

  return [...incidents]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((incident): IncidentAttribution => {
      const wantedEnvironment = incident.environment?.toLowerCase();
      const candidates = newestFirst.filter(
        (deployment) =>
          deployment.repo === incident.repo &&
          deployment.deployedAt.getTime() <= incident.openedAt.getTime() &&
          (wantedEnvironment === undefined
            ? isProductionEnvironment(deployment.environment, productionPatterns)
            : deployment.environment.toLowerCase() === wantedEnvironment),
      );
      const rootCause = incident.rootCauseSha;
      if (rootCause !== undefined) {
        const culprit = candidates.find(
          (deployment) =>
            shaMatches(rootCause, deployment.sha) ||
            (changesOf.get(deployment.id) ?? []).some((change) => shaMatches(rootCause, change.sha)),
        );
        if (culprit !== undefined) return { incidentId: incident.id, deploymentId: culprit.id, how: "root_cause" };
      }
      const latest = candidates[0];
      if (latest !== undefined && incident.openedAt.getTime() - latest.deployedAt.getTime() <= windowMs) {
        return { incidentId: incident.id, deploymentId: latest.id, how: "window" };
      }
      return { incidentId: incident.id, deploymentId: null, how: null };
    });
}
