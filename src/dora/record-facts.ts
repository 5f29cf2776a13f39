// The core's per-record results for a window, independent of the scope
// measured: which deployments count, each change's lead time, which
// deployments failed or were rework, each failed deployment's recovery and
// each incident's restore time. The rollup builder buckets them by day, and
// the evidence of a figure lists them; both start from prepare(), as the
// exact report does, so a record means the same on every path.
import { computeChangeFailure } from "./change-failure.js";
import type { DoraOptions } from "./contract.js";
import { computeLeadTime } from "./lead-time.js";
import { prepare } from "./prepare.js";
import type { DoraInput } from "./records.js";
import { computeRework } from "./rework.js";
import { computeFailedDeploymentRecovery, computeTimeToRestore } from "./time-to-restore.js";
import { compareDeployments } from "./timeline.js";

export type RecordFacts = ReturnType<typeof recordFacts>;

/** Every deployment, attempt and incident of [from, to) with what the core derives for it, scope-independent. */
export function recordFacts(input: DoraInput, options: DoraOptions) {
  const facts = prepare(input, options);
  const { input: normalised, attributions, rollbacks, reverts } = facts;
  const { from, to } = options;
  const inWindow = (time: Date) => time.getTime() >= from.getTime() && time.getTime() < to.getTime();
  const measured = normalised.deployments.filter((deployment) => inWindow(deployment.deployedAt)).sort(compareDeployments);

  const leadTime = computeLeadTime(measured, normalised.changes, normalised.pullRequests);
  const failure = computeChangeFailure({ deployments: measured, attributions, rollbacks, reverts });
  const failedIds = failure.failedDeployments.map((failed) => failed.deploymentId);
  const rework = computeRework(
    { deployments: measured, allDeployments: normalised.deployments, changes: normalised.changes, pullRequests: normalised.pullRequests, incidents: normalised.incidents, attributions, rollbacks },
    { hotfixPatterns: facts.hotfixPatterns },
  );
  const recovery = computeFailedDeploymentRecovery(failedIds, normalised.deployments, normalised.incidents, attributions, to);
  const incidents = normalised.incidents.filter((incident) => incident.openedAt.getTime() >= from.getTime());
  const restore = computeTimeToRestore(incidents, to);
  const attempts = normalised.attempts.filter((attempt) => inWindow(attempt.failedAt));
  return { normalised, attributions, measured, leadTime, failure, failedIds, rework, recovery, incidents, restore, attempts };
}
