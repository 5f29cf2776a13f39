// Lead time for changes: from the start of a change to its deployment.
import type { ChangeRecord, DeploymentRecord, PullRequestRecord, PullRequestRef } from "./records.js";
import { shaMatches } from "./sha.js";
import { hoursBetween, median, percentile } from "./stats.js";
import { changesByDeployment, compareDeployments, compareStrings, pullRequestKey, pullRequestsByKey } from "./timeline.js";

/** The PR stages of one item, in hours; null when a timestamp is missing or the change has no PR. */
export interface LeadTimeStages {
  /** first commit -> PR opened */
  codingHours: number | null;
  /** PR opened -> first review */
  pickupHours: number | null;
  /** first review -> merged */
  reviewHours: number | null;
  /** merged -> deployed */
  deployHours: number | null;
}

/**
 * One counted change of one deployment: a pull request (all of its commits in
 * that deployment collapse into one item) or a direct-push commit.
 */
export interface LeadTimeItem {
  deploymentId: string;
  environment: string;
  /** The PR's merge commit when the deployment shipped it, else its latest-authored commit there; the commit itself for a direct push. */
  sha: string;
  pullRequest?: PullRequestRef;
  startedAt: Date;
  deployedAt: Date;
  /** deployedAt - startedAt; negative only with clock-skewed data, reported as is. */
  leadTimeHours: number;
  stages: LeadTimeStages;
}

export interface LeadTime {
  items: LeadTimeItem[];
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
  /** Median of each stage over the items that have it. */
  breakdown: LeadTimeStages;
}

/**
 * Lead time of the changes of `deployments` (the caller picks the window and
 * environments; changes of other deployments are ignored).
 * Start of a PR item: the PR's firstCommitAt, else the earliest authoredAt of
 * its commits in this deployment (so a squash commit's own date is never the
 * start when the PR is known). Start of a direct push: the commit's authoredAt.
 * A PR counts once per deployment; the same change deployed to two
 * environments counts once in each.
 */
export function computeLeadTime(
  deployments: readonly DeploymentRecord[],
  changes: readonly ChangeRecord[],
  pullRequests: readonly PullRequestRecord[],
): LeadTime {
  const changesOf = changesByDeployment(changes);
  const pullRequestOf = pullRequestsByKey(pullRequests);
  const items: LeadTimeItem[] = [];

  for (const deployment of [...deployments].sort(compareDeployments)) {
    const groups = new Map<string, ChangeRecord[]>();
    for (const change of changesOf.get(deployment.id) ?? []) {
      const key = change.pullRequest ? `pr:${pullRequestKey(change.pullRequest)}` : `sha:${change.sha}`;
      groups.set(key, [...(groups.get(key) ?? []), change]);
    }
    for (const key of [...groups.keys()].sort(compareStrings)) {
      const group = groups.get(key) as ChangeRecord[];
      const ref = group[0]?.pullRequest;
      const pullRequest = ref ? pullRequestOf.get(pullRequestKey(ref)) : undefined;
      const earliestAuthored = new Date(Math.min(...group.map((change) => change.authoredAt.getTime())));
      const startedAt = pullRequest?.firstCommitAt ?? earliestAuthored;
      items.push({
        deploymentId: deployment.id,
        environment: deployment.environment,
        sha: representativeSha(group, pullRequest),
        ...(ref ? { pullRequest: { repo: ref.repo, number: ref.number } } : {}),
        startedAt,
        deployedAt: deployment.deployedAt,
        leadTimeHours: hoursBetween(startedAt, deployment.deployedAt),
        stages: stagesOf(startedAt, deployment.deployedAt, pullRequest),
      });
    }
  }

  const stageMedian = (stage: keyof LeadTimeStages) =>
    median(items.flatMap((item) => (item.stages[stage] === null ? [] : [item.stages[stage]])));
  const hours = items.map((item) => item.leadTimeHours);
  return {
    items,
    count: items.length,
    medianHours: median(hours),
    p90Hours: percentile(hours, 0.9),
    breakdown: {
      codingHours: stageMedian("codingHours"),
      pickupHours: stageMedian("pickupHours"),
      reviewHours: stageMedian("reviewHours"),
      deployHours: stageMedian("deployHours"),
    },
  };
}

function representativeSha(group: readonly ChangeRecord[], pullRequest: PullRequestRecord | undefined): string {
  const mergeCommitSha = pullRequest?.mergeCommitSha;
  const mergeCommit = mergeCommitSha ? group.find((change) => shaMatches(mergeCommitSha, change.sha)) : undefined;
  if (mergeCommit) return mergeCommit.sha;
  // group is in sha order, so ties on authoredAt keep the smallest sha.
  return group.reduce((latest, change) => (change.authoredAt > latest.authoredAt ? change : latest)).sha;
}

function stagesOf(startedAt: Date, deployedAt: Date, pullRequest: PullRequestRecord | undefined): LeadTimeStages {
  if (pullRequest === undefined) {
    return { codingHours: null, pickupHours: null, reviewHours: null, deployHours: null };
  }
  const { openedAt, firstReviewAt, mergedAt } = pullRequest;
  return {
    codingHours: hoursBetween(startedAt, openedAt),
    pickupHours: firstReviewAt ? hoursBetween(openedAt, firstReviewAt) : null,
    reviewHours: firstReviewAt && mergedAt ? hoursBetween(firstReviewAt, mergedAt) : null,
    deployHours: mergedAt ? hoursBetween(mergedAt, deployedAt) : null,
  };
}
