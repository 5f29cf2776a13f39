// Deployment order. Order is never stored: it is derived here, the same way
// everywhere, so that "previous deployment", "later deployment" and
// "rollback" mean one thing.
import type { ChangeRecord, DeploymentRecord, PullRequestRecord, PullRequestRef } from "./records.js";

/** Earlier deployedAt first; equal times ordered by id so the order is total. */
export function compareDeployments(a: DeploymentRecord, b: DeploymentRecord): number {
  return a.deployedAt.getTime() - b.deployedAt.getTime() || compareStrings(a.id, b.id);
}

/** Code-unit order (not locale order), so results do not depend on the host's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function environmentKey(repo: string, environment: string): string {
  return `${repo}\u0000${environment}`;
}

export function pullRequestKey(ref: PullRequestRef): string {
  return `${ref.repo}#${ref.number}`;
}

/** Deployments of each repo and environment, in deployment order. */
export function deploymentsByEnvironment(deployments: readonly DeploymentRecord[]): Map<string, DeploymentRecord[]> {
  const byEnvironment = new Map<string, DeploymentRecord[]>();
  for (const deployment of [...deployments].sort(compareDeployments)) {
    const key = environmentKey(deployment.repo, deployment.environment);
    const list = byEnvironment.get(key);
    if (list === undefined) byEnvironment.set(key, [deployment]);
    else list.push(deployment);
  }
  return byEnvironment;
}

/** Changes of each deployment id, ordered by sha. */
/**
 * A deployment's changes, sorted by sha. Memoised per array: one report asks
 * for the same grouping in lead time, rework, reverts and attribution, once
 * per environment; the arrays are never mutated after normalising.
 */
const changesByDeploymentOf = new WeakMap<readonly ChangeRecord[], ReadonlyMap<string, readonly ChangeRecord[]>>();

export function changesByDeployment(changes: readonly ChangeRecord[]): ReadonlyMap<string, readonly ChangeRecord[]> {
  const known = changesByDeploymentOf.get(changes);
  if (known) return known;
  const byDeployment = new Map<string, ChangeRecord[]>();
  for (const change of changes) {
    const list = byDeployment.get(change.deploymentId);
    if (list === undefined) byDeployment.set(change.deploymentId, [change]);
    else list.push(change);
  }
  for (const list of byDeployment.values()) list.sort((a, b) => compareStrings(a.sha, b.sha));
  changesByDeploymentOf.set(changes, byDeployment);
  return byDeployment;
}

export function pullRequestsByKey(pullRequests: readonly PullRequestRecord[]): Map<string, PullRequestRecord> {
  return new Map(pullRequests.map((pullRequest) => [pullRequestKey(pullRequest), pullRequest]));
}

export function firstLine(text: string): string {
  const newline = text.indexOf("\n");
  return (newline === -1 ? text : text.slice(0, newline)).trim();
}
