// Rework rate: the share of deployments made to fix a failure.
import { DEFAULT_HOTFIX_PATTERNS, isHotfix, type HotfixPatterns } from "./hotfix.js";
import type { IncidentAttribution } from "./incident-attribution.js";
import type { ChangeRecord, DeploymentRecord, IncidentRecord, PullRequestRecord } from "./records.js";
import { revertOfChange } from "./revert.js";
import type { Rollback } from "./rollback.js";
import { ratio } from "./stats.js";
import { changesByDeployment, compareDeployments, firstLine, pullRequestKey, pullRequestsByKey } from "./timeline.js";

export type ReworkReason = "revert" | "hotfix" | "open_incident" | "rollback";
const REASON_ORDER: readonly ReworkReason[] = ["revert", "hotfix", "open_incident", "rollback"];

export interface ReworkDeployment {
  deploymentId: string;
  /** Distinct, in the order revert, hotfix, open_incident, rollback. */
  reasons: ReworkReason[];
}

export interface Rework {
  deployments: number;
  reworkDeployments: ReworkDeployment[];
  /** rework / deployments, 0..1; null without deployments. */
  rate: number | null;
}

export interface ReworkInput {
  /** The deployments measured. */
  deployments: readonly DeploymentRecord[];
  /** Every deployment known (attributed incidents may point before the window). */
  allDeployments: readonly DeploymentRecord[];
  changes: readonly ChangeRecord[];
  pullRequests: readonly PullRequestRecord[];
  incidents: readonly IncidentRecord[];
  attributions: readonly IncidentAttribution[];
  rollbacks: readonly Rollback[];
}

export interface ReworkOptions {
  hotfixPatterns?: HotfixPatterns;
}

/**
 * A deployment is rework when
 * - "revert": one of its changes is a revert (its message, or its PR's title/body);
 * - "hotfix": one of its changes' PR is a hotfix by label, head branch or title,
 *   a direct-push commit's first line matches the title patterns, or the
 *   deployment's ref matches the branch patterns;
 * - "open_incident": it was deployed while an incident attributed to an EARLIER
 *   deployment of the same repo (any environment: the fix usually passes
 *   through staging) was open: openedAt <= deployedAt < closedAt;
 * - "rollback": it rolled an environment back.
 */
export function computeRework(input: ReworkInput, options: ReworkOptions = {}): Rework {
  const hotfixPatterns = options.hotfixPatterns ?? DEFAULT_HOTFIX_PATTERNS;
  const changesOf = changesByDeployment(input.changes);
  const pullRequestOf = pullRequestsByKey(input.pullRequests);
  const deploymentById = new Map(input.allDeployments.map((deployment) => [deployment.id, deployment]));
  const incidentById = new Map(input.incidents.map((incident) => [incident.id, incident]));
  const rollbackIds = new Set(input.rollbacks.map((rollback) => rollback.rollbackDeploymentId));
  const attributedIncidents = input.attributions.flatMap((attribution) => {
    const incident = incidentById.get(attribution.incidentId);
    const cause = attribution.deploymentId === null ? undefined : deploymentById.get(attribution.deploymentId);
    return incident && cause ? [{ incident, cause }] : [];
  });

  const reworkDeployments = [...input.deployments].sort(compareDeployments).flatMap((deployment): ReworkDeployment[] => {
    const reasons = new Set<ReworkReason>();
    for (const change of changesOf.get(deployment.id) ?? []) {
      const pullRequest = change.pullRequest ? pullRequestOf.get(pullRequestKey(change.pullRequest)) : undefined;
      if (revertOfChange(change, pullRequest) !== undefined) reasons.add("revert");
      const hotfix = pullRequest
        ? isHotfix({ labels: pullRequest.labels, headRef: pullRequest.headRef, title: pullRequest.title }, hotfixPatterns)
        : isHotfix({ title: firstLine(change.message) }, hotfixPatterns);
      if (hotfix) reasons.add("hotfix");
    }
    if (deployment.ref !== undefined && isHotfix({ headRef: deployment.ref }, hotfixPatterns)) reasons.add("hotfix");
    const deployedAt = deployment.deployedAt.getTime();
    const duringIncident = attributedIncidents.some(
      ({ incident, cause }) =>
        cause.repo === deployment.repo &&
        compareDeployments(cause, deployment) < 0 &&
        incident.openedAt.getTime() <= deployedAt &&
        (incident.closedAt === undefined || deployedAt < incident.closedAt.getTime()),
    );
    if (duringIncident) reasons.add("open_incident");
    if (rollbackIds.has(deployment.id)) reasons.add("rollback");
    return reasons.size === 0
      ? []
      : [{ deploymentId: deployment.id, reasons: REASON_ORDER.filter((reason) => reasons.has(reason)) }];
  });

  return {
    deployments: input.deployments.length,
    reworkDeployments,
    rate: ratio(reworkDeployments.length, input.deployments.length),
  };
}
