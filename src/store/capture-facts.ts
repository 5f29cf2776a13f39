// The facts DORA capture stores: the contract between the GitHub side and the
// store. Webhook payloads (src/github/events/*-events.ts) and REST objects
// (backfill) are both turned into these, and one set of writers
// (dora-writer.ts, through src/github/dora-capture.ts) stores them: backfill
// and webhooks agree by construction. They live here, in the store, because
// the writer accepts them and the store must not import the GitHub side.
import type { DeploymentSource } from "../dora/index.js";

/** A deployment as first seen, from any source; immutable facts only. */
export interface DeploymentObservation {
  /** "owner/name". */
  repo: string;
  installationId?: number;
  source: DeploymentSource;
  /** "deployment:<id>" | "workflow_run:<id>" | "release:<id>"; the DORA record id. */
  sourceKey: string;
  /** Lower-cased: GitHub environment names are case-insensitive. */
  environment: string;
  sha: string;
  ref?: string;
  createdAt: Date;
}

/** One status of a deployment, keyed so that its redelivery is the same row. */
export interface DeploymentStatusObservation {
  /** "status:<id>" | "attempt:<n>" | "published". */
  statusKey: string;
  /** success | failure | error | pending | in_progress | queued | inactive | cancelled ... */
  state: string;
  /** When GitHub recorded the status (never arrival time). */
  createdAt: Date;
}

export interface DeploymentFacts {
  deployment: DeploymentObservation;
  statuses: DeploymentStatusObservation[];
}

export interface PullRequestObservation {
  repo: string;
  installationId?: number;
  number: number;
  title: string;
  body?: string;
  state: string;
  headRef: string;
  headSha?: string;
  baseRef: string;
  /** The PR's author: their own reviews are not a first review. Absent for a deleted account. */
  authorLogin?: string;
  labels: string[];
  openedAt: Date;
  closedAt?: Date;
  mergedAt?: Date;
  /** Only when merged: GitHub also fills merge_commit_sha with test merges of open PRs. */
  mergeCommitSha?: string;
  /** GitHub's updated_at: the newest copy wins whatever the arrival order. */
  updatedAt: Date;
}

export interface IssueObservation {
  repo: string;
  installationId?: number;
  number: number;
  title: string;
  body?: string;
  labels: string[];
  openedAt: Date;
  closedAt?: Date;
  updatedAt: Date;
  /** The label an `unlabeled` event removed: removing an incident label leaves a row saying "not an incident", so an older `labeled` arriving late cannot revive it. */
  removedLabel?: string;
}

export interface CommitObservation {
  repo: string;
  sha: string;
  authoredAt?: Date;
  committedAt?: Date;
  message?: string;
}
