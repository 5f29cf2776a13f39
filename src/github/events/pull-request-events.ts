// pull_request webhooks and REST pull requests -> PullRequestObservation.
import type { PullRequestEvent } from "@octokit/webhooks-types";
import type { components } from "@octokit/openapi-types";
import { dateOf, labelNames } from "./payload-fields.js";
import type { PullRequestObservation } from "../../store/capture-facts.js";

type RestPullRequest = components["schemas"]["pull-request-simple"] | components["schemas"]["pull-request"];
type RestReview = Pick<components["schemas"]["pull-request-review"], "state" | "submitted_at" | "user">;

interface PullRequestShape {
  number: number;
  title: string;
  body: string | null;
  state: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  user?: { login: string } | null;
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
    ...(pullRequest.user?.login ? { authorLogin: pullRequest.user.login } : {}),
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

/**
 * The first review of a merged PR: the earliest submitted review (any state:
 * approved, changes requested, commented, dismissed) by someone other than
 * the author, at or before the merge. PENDING reviews are drafts nobody has
 * seen. Reviews after the merge are not part of the change's path to
 * production, and leaving them out makes the answer the same whenever the
 * reviews are listed (at the merge event or in a later backfill).
 */
export function firstReviewAt(reviews: readonly RestReview[], pullRequest: Pick<PullRequestObservation, "authorLogin" | "mergedAt">): Date | undefined {
  const author = pullRequest.authorLogin?.toLowerCase();
  let first: Date | undefined;
  for (const review of reviews) {
    if (review.state.toUpperCase() === "PENDING" || !review.submitted_at) continue;
    if (author !== undefined && review.user?.login.toLowerCase() === author) continue;
    const submittedAt = dateOf(review.submitted_at);
    if (pullRequest.mergedAt && submittedAt > pullRequest.mergedAt) continue;
    if (!first || submittedAt < first) first = submittedAt;
  }
  return first;
}
