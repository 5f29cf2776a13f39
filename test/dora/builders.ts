// Record builders for the DORA tests: every field explicit where it matters to
// a scenario, harmless defaults elsewhere.
import type {
  ChangeRecord,
  DeploymentAttemptRecord,
  DeploymentRecord,
  IncidentRecord,
  PullRequestRecord,
} from "../../src/dora/index.js";

export const REPO = "acme/shop";

/** "2024-03-04 10:00" (UTC) -> Date. */
export function at(text: string): Date {
  return new Date(`${text.replace(" ", "T")}:00Z`);
}

/** A 40-hex sha made by repeating `seed` (hex), so shas are readable in tests. */
export function sha(seed: string): string {
  return seed.repeat(Math.ceil(40 / seed.length)).slice(0, 40);
}

export function deployment(
  id: string,
  environment: string,
  shaSeed: string,
  deployedAt: string,
  extra: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  return { id, repo: REPO, environment, sha: sha(shaSeed), deployedAt: at(deployedAt), source: "deployment", ...extra };
}

export function attempt(id: string, environment: string, failedAt: string): DeploymentAttemptRecord {
  return { id, repo: REPO, environment, sha: sha("0f"), failedAt: at(failedAt) };
}

export function change(
  deploymentId: string,
  shaSeed: string,
  authoredAt: string,
  message: string,
  pullRequest?: number,
): ChangeRecord {
  return {
    deploymentId,
    sha: sha(shaSeed),
    authoredAt: at(authoredAt),
    message,
    ...(pullRequest === undefined ? {} : { pullRequest: { repo: REPO, number: pullRequest } }),
  };
}

export function pullRequest(
  number: number,
  title: string,
  times: { firstCommit?: string; opened: string; firstReview?: string; merged?: string },
  extra: Partial<PullRequestRecord> = {},
): PullRequestRecord {
  return {
    repo: REPO,
    number,
    title,
    openedAt: at(times.opened),
    ...(times.firstCommit ? { firstCommitAt: at(times.firstCommit) } : {}),
    ...(times.firstReview ? { firstReviewAt: at(times.firstReview) } : {}),
    ...(times.merged ? { mergedAt: at(times.merged) } : {}),
    headRef: `feature/${number}`,
    labels: [],
    ...extra,
  };
}

export function incident(
  id: string,
  openedAt: string,
  closedAt?: string,
  extra: Partial<IncidentRecord> = {},
): IncidentRecord {
  return {
    id,
    repo: REPO,
    number: Number(id.replace(/\D/g, "")) || 1,
    title: `Incident ${id}`,
    openedAt: at(openedAt),
    ...(closedAt ? { closedAt: at(closedAt) } : {}),
    ...extra,
  };
}

/** Deterministic Fisher-Yates shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
