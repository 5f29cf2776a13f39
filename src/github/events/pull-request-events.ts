// pull_request webhooks and REST pull requests -> PullRequestObservation.
import type { PullRequestEvent } from "@octokit/webhooks-types";
import type { components } from "@octokit/openapi-types";
import { dateOf, labelNames } from "./observations.js";
import type { PullRequestObservation } from "./observations.js";

type RestPullRequest = components["schemas"]["pull-request-simple"] | components["schemas"]["pull-request"];

interface PullRequestShape {
  number: number;
  title: string;
  body: string | null;
  state: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels: ReadonlyArray<{ name?: string | null }>;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
}

export function pullRequestObservation(repo: string, installationId: number | undefined, pullRequest: PullRequestShape): PullRequestObservation {
  const mergedAt = dateOf(pullRequest.merged_at);
  const closedAt = dateOf(pullRequest.closed_at);
  return {
    repo,
    ...(installationId === undefined ? {} : { installationId }),
    number: pullRequest.number,
    title: pullRequest.title,
    ...(pullRequest.body ? { body: pullRequest.body } : {}),
    state: pullRequest.state,
    headRef: pullRequest.head.ref,
    headSha: pullRequest.head.sha.toLowerCase(),
    baseRef: pullRequest.base.ref,
    labels: labelNames(pullRequest.labels),
    openedAt: dateOf(pullRequest.created_at),
    ...(closedAt ? { closedAt } : {}),
    ...(mergedAt ? { mergedAt } : {}),
    ...(mergedAt && pullRequest.merge_commit_sha ? { mergeCommitSha: pullRequest.merge_commit_sha.toLowerCase() } : {}),
    updatedAt: dateOf(pullRequest.updated_at),
  };
}

export function fromPullRequestEvent(payload: PullRequestEvent): PullRequestObservation {
  return pullRequestObservation(payload.repository.full_name, payload.installation?.id, payload.pull_request);
}

export function fromRestPullRequest(repo: string, installationId: number | undefined, pullRequest: RestPullRequest | PullRequestShape): PullRequestObservation {
  return pullRequestObservation(repo, installationId, pullRequest);
}
