// The plain records the DORA core reads. The capture layer (src/github/) turns
// webhooks and API pages into these; storage persists them; the core below
// never sees GitHub payloads, the database or the clock.
//
// Conventions: times are `Date` (absolute instants), ids are strings, repos are
// "owner/name", shas are lowercase hex (short or full where said).

export type DeploymentSource = "deployment" | "workflow_run" | "release";

/** A successful deployment of a sha to an environment. */
export interface DeploymentRecord {
  /** Stable id from the capture layer, e.g. "deployment:123" or "workflow_run:456". */
  id: string;
  /** "owner/name". */
  repo: string;
  /** Environment name exactly as captured (GitHub environment names are case-insensitive: normalise at capture). */
  environment: string;
  /** Full sha that was deployed. */
  sha: string;
  ref?: string;
  /** When the deployment SUCCEEDED (success status, run completion, release publication), never webhook arrival. */
  deployedAt: Date;
  source: DeploymentSource;
}

/** A deployment attempt that failed (deployment_status failure/error, failed workflow run). Never counted in CFR. */
export interface DeploymentAttemptRecord {
  id: string;
  repo: string;
  environment: string;
  sha: string;
  failedAt: Date;
}

export interface PullRequestRef {
  /** "owner/name". */
  repo: string;
  number: number;
}

/**
 * A commit shipped by a deployment: reachable from the deployment's sha and not
 * from the previous successful deployment of the same repo and environment.
 * For the first deployment of an environment the capture layer decides what
 * "all its changes" are; the core counts every change it is given.
 */
export interface ChangeRecord {
  deploymentId: string;
  sha: string;
  authoredAt: Date;
  committedAt?: Date;
  /** Commit message; the first line is enough, the full message lets revert detection read "This reverts commit <sha>.". */
  message: string;
  pullRequest?: PullRequestRef;
}

export interface PullRequestRecord {
  repo: string;
  number: number;
  title: string;
  openedAt: Date;
  /** Earliest authored date among the PR's commits. */
  firstCommitAt?: Date;
  firstReviewAt?: Date;
  mergedAt?: Date;
  mergeCommitSha?: string;
  headRef: string;
  labels: string[];
  /** PR body; optional, read for "This reverts commit <sha>." in revert PRs. */
  body?: string;
}

/** An issue carrying the incident label. */
export interface IncidentRecord {
  id: string;
  repo: string;
  number: number;
  title: string;
  openedAt: Date;
  closedAt?: Date;
  /** From a "Root cause: <sha>" line of the body (see parseRootCause); 7-40 hex. */
  rootCauseSha?: string;
  /** Optional, derived from a label; restricts attribution to that environment. */
  environment?: string;
}

/** Everything the report reads. Arrays may be in any order and contain duplicates. */
export interface DoraInput {
  deployments: readonly DeploymentRecord[];
  attempts: readonly DeploymentAttemptRecord[];
  changes: readonly ChangeRecord[];
  pullRequests: readonly PullRequestRecord[];
  incidents: readonly IncidentRecord[];
}

/** A half-open interval [from, to). */
export interface TimeWindow {
  from: Date;
  to: Date;
}
