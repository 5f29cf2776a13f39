// Reverts: recognising a revert (parseRevert) and finding which deployed
// change it reverts (findReverts). A revert of a change shipped by an earlier
// deployment marks that deployment as failed (change-failure.ts) and makes the
// reverting deployment rework (rework.ts).
import type { ChangeRecord, DeploymentRecord, PullRequestRecord, PullRequestRef } from "./records.js";
import { shaMatches } from "./sha.js";
import {
  changesByDeployment,
  deploymentsByEnvironment,
  firstLine,
  pullRequestKey,
  pullRequestsByKey,
} from "./timeline.js";

/** What a revert points at; at least one field is set. */
export interface RevertReference {
  /** From "This reverts commit <sha>." (7-40 hex, lowercase). */
  revertedSha?: string;
  /** From "Reverts owner/name#12" (GitHub's revert-PR body); repo absent for "Reverts #12". */
  revertedPullRequest?: { repo?: string; number: number };
  /** From a first line `Revert "<title>"`, without a trailing " (#12)". */
  revertedTitle?: string;
}

// Greedy so that `Revert "Revert "x""` yields `Revert "x"`; a squash merge
// appends " (#13)" after the closing quote.
const REVERT_TITLE = /^revert\s+"(.*)"(?:\s*\(#\d+\))?$/i;
const REVERTS_COMMIT = /this reverts commit ([0-9a-f]{7,40})(?![0-9a-z])/i;
const REVERTS_PULL_REQUEST = /^\s*reverts\s+(?:([\w.-]+\/[\w.-]+))?#(\d+)\b/im;

/** Strips the " (#12)" GitHub appends to squash-merge titles, and surrounding space. */
export function normaliseTitle(title: string): string {
  return firstLine(title).replace(/\s*\(#\d+\)$/, "");
}

/**
 * Recognises a revert from a commit message or PR title (`message`) and an
 * optional body (rest of the commit message, or the PR body). Undefined when
 * it is not a revert.
 */
export function parseRevert(message: string, body?: string): RevertReference | undefined {
  const reference: RevertReference = {};
  const title = REVERT_TITLE.exec(firstLine(message))?.[1];
  if (title !== undefined) reference.revertedTitle = normaliseTitle(title);
  const text = body === undefined ? message : `${message}\n${body}`;
  const sha = REVERTS_COMMIT.exec(text)?.[1];
  if (sha !== undefined) reference.revertedSha = sha.toLowerCase();
  const pullRequest = REVERTS_PULL_REQUEST.exec(text);
  if (pullRequest !== null) {
    reference.revertedPullRequest = { number: Number(pullRequest[2]) };
    if (pullRequest[1] !== undefined) reference.revertedPullRequest.repo = pullRequest[1];
  }
  return Object.keys(reference).length === 0 ? undefined : reference;
}

/** The revert reference of a change: its own message, completed by its PR's title and body. */
export function revertOfChange(
  change: ChangeRecord,
  pullRequest: PullRequestRecord | undefined,
): RevertReference | undefined {
  const own = parseRevert(change.message);
  const viaPullRequest = pullRequest ? parseRevert(pullRequest.title, pullRequest.body) : undefined;
  if (own === undefined && viaPullRequest === undefined) return undefined;
  // The commit's own words win; the PR fills what the commit's first line lacks.
  return { ...viaPullRequest, ...own };
}

export interface Revert {
  /** The later deployment shipping the revert. */
  revertingDeploymentId: string;
  revertingSha: string;
  /** The earlier deployment (same repo and environment) that shipped the reverted change. */
  revertedDeploymentId: string;
  revertedSha: string;
}

/**
 * Pairs each revert change with the change it reverts, in the same repo and
 * environment, shipped by an EARLIER deployment (a change reverted within the
 * same deployment never reached users and fails nothing). The reference is
 * matched by the most precise thing it names: the sha if it names one, else the
 * pull request, else the title (first line or PR title, " (#n)" ignored). When
 * several earlier deployments shipped it, the latest one is taken.
 */
export function findReverts(
  deployments: readonly DeploymentRecord[],
  changes: readonly ChangeRecord[],
  pullRequests: readonly PullRequestRecord[],
): Revert[] {
  const changesOf = changesByDeployment(changes);
  const pullRequestOf = pullRequestsByKey(pullRequests);
  const lookupPullRequest = (ref: PullRequestRef | undefined) =>
    ref === undefined ? undefined : pullRequestOf.get(pullRequestKey(ref));
  const reverts = new Map<string, Revert>();

  for (const timeline of deploymentsByEnvironment(deployments).values()) {
    timeline.forEach((revertingDeployment, position) => {
      for (const revertChange of changesOf.get(revertingDeployment.id) ?? []) {
        const reference = revertOfChange(revertChange, lookupPullRequest(revertChange.pullRequest));
        if (reference === undefined) continue;
        const isReverted = (candidate: ChangeRecord): boolean => {
          if (reference.revertedSha !== undefined) return shaMatches(reference.revertedSha, candidate.sha);
          if (reference.revertedPullRequest !== undefined) {
            const ref = reference.revertedPullRequest;
            return (
              candidate.pullRequest?.number === ref.number &&
              candidate.pullRequest.repo === (ref.repo ?? revertingDeployment.repo)
            );
          }
          const title = reference.revertedTitle as string;
          const candidatePullRequest = lookupPullRequest(candidate.pullRequest);
          return (
            normaliseTitle(candidate.message) === title ||
            (candidatePullRequest !== undefined && normaliseTitle(candidatePullRequest.title) === title)
          );
        };
        for (let earlier = position - 1; earlier >= 0; earlier--) {
          const candidateDeployment = timeline[earlier] as DeploymentRecord;
          const reverted = (changesOf.get(candidateDeployment.id) ?? []).find(isReverted);
          if (reverted !== undefined) {
            // A revert PR's several commits all point at the same change: keep one pair.
            const key = `${revertingDeployment.id}\u0000${candidateDeployment.id}\u0000${reverted.sha}`;
            if (!reverts.has(key)) {
              reverts.set(key, {
                revertingDeploymentId: revertingDeployment.id,
                revertingSha: revertChange.sha,
                revertedDeploymentId: candidateDeployment.id,
                revertedSha: reverted.sha,
              });
            }
            break;
          }
        }
      }
    });
  }
  return [...reverts.values()];
}
