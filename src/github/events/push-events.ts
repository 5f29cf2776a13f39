// push webhooks and REST commits -> CommitObservation; which pushes matter.
import type { PushEvent } from "@octokit/webhooks-types";
import type { components } from "@octokit/openapi-types";
import { dateOf } from "./payload-fields.js";
import type { CommitObservation } from "../../store/capture-facts.js";

type RestCommit = components["schemas"]["commit"];

export const REPO_CONFIG_PATH = ".github/iact.yml";

export function isDefaultBranchPush(payload: PushEvent): boolean {
  return !payload.deleted && payload.ref === `refs/heads/${payload.repository.default_branch}`;
}

/** Push commits (at most 20 per payload; the compare API fills the rest when a deployment needs them). */
export function fromPushEvent(payload: PushEvent): CommitObservation[] {
  return payload.commits.map((commit) => ({
    repo: payload.repository.full_name,
    sha: commit.id.toLowerCase(),
    // A push gives one timestamp per commit: the author's (see docs/capture.md).
    authoredAt: dateOf(commit.timestamp),
    message: commit.message,
  }));
}

/** True when a push to the default branch touches the repo's iact.yml: drop the cached config. */
export function touchesRepoConfig(payload: PushEvent): boolean {
  if (!isDefaultBranchPush(payload)) return false;
  const commits = [...payload.commits, ...(payload.head_commit ? [payload.head_commit] : [])];
  return commits.some((commit) => [...commit.added, ...commit.modified, ...commit.removed].includes(REPO_CONFIG_PATH));
}

/** A REST commit (list commits, compare, get commit) -> the same shape. */
export function fromRestCommit(repo: string, commit: Pick<RestCommit, "sha" | "commit">): CommitObservation {
  const authoredAt = dateOf(commit.commit.author?.date);
  const committedAt = dateOf(commit.commit.committer?.date);
  return {
    repo,
    sha: commit.sha.toLowerCase(),
    ...(authoredAt ? { authoredAt } : {}),
    ...(committedAt ? { committedAt } : {}),
    message: commit.commit.message,
  };
}
