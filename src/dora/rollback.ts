// Rollbacks: a redeploy of a sha the environment had already run before the
// current one. Detected from deployment order alone (no git graph needed).
import type { DeploymentRecord } from "./records.js";
import { deploymentsByEnvironment } from "./timeline.js";

export interface Rollback {
  /** The deployment that redeployed an older sha. */
  rollbackDeploymentId: string;
  /** The deployment it rolled back from: the one immediately before it in the same repo and environment. */
  rolledBackDeploymentId: string;
}

/**
 * A deployment D is a rollback when its sha differs from the previous
 * deployment P's sha (same repo and environment) and equals the sha of a
 * deployment before P. P is then the deployment rolled back from. Redeploying
 * the current sha (a retry) is not a rollback, and neither is promoting a sha
 * another environment ran earlier (environments are never compared).
 */
export function findRollbacks(deployments: readonly DeploymentRecord[]): Rollback[] {
  const rollbacks: Rollback[] = [];
  for (const timeline of deploymentsByEnvironment(deployments).values()) {
    const shasSeen = new Set<string>();
    timeline.forEach((deployment, position) => {
      const previous = timeline[position - 1];
      const sha = deployment.sha.toLowerCase();
      if (previous !== undefined && previous.sha.toLowerCase() !== sha && shasSeen.has(sha)) {
        rollbacks.push({ rollbackDeploymentId: deployment.id, rolledBackDeploymentId: previous.id });
      }
      shasSeen.add(sha);
    });
  }
  return rollbacks;
}
