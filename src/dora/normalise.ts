// The report's first step: make the input a set of facts known at `asOf`
// (the end of the window), independent of delivery order and duplicates.
import type {
  ChangeRecord,
  DeploymentAttemptRecord,
  DeploymentRecord,
  DoraInput,
  IncidentRecord,
  PullRequestRecord,
} from "./records.js";
import { pullRequestKey } from "./timeline.js";

export interface NormalisedInput {
  deployments: DeploymentRecord[];
  attempts: DeploymentAttemptRecord[];
  changes: ChangeRecord[];
  pullRequests: PullRequestRecord[];
  incidents: IncidentRecord[];
}

/**
 * - Dedupes: deployments, attempts and incidents by id, changes by
 *   (deploymentId, sha), pull requests by (repo, number). Duplicates are
 *   expected to be copies (redelivered webhooks, backfill over webhooks); when
 *   copies differ, the one whose canonical JSON sorts last is kept, so the
 *   result never depends on input order. The store should upsert anyway.
 * - Forgets the future: deployments at or after `asOf`, their changes, attempts
 *   and incidents opened at or after `asOf`; an incident closed at or after
 *   `asOf` is open. So a report for a past window is reproducible later.
 */
export function normaliseInput(input: DoraInput, asOf: Date): NormalisedInput {
  const before = (time: Date) => time.getTime() < asOf.getTime();
  const deployments = dedupe(input.deployments, (d) => d.id).filter((d) => before(d.deployedAt));
  const deploymentIds = new Set(deployments.map((deployment) => deployment.id));
  const incidents = dedupe(input.incidents, (incident) => incident.id)
    .filter((incident) => before(incident.openedAt))
    .map((incident) => {
      if (incident.closedAt === undefined || before(incident.closedAt)) return incident;
      const { closedAt: _closedLater, ...stillOpen } = incident;
      return stillOpen;
    });
  return {
    deployments,
    attempts: dedupe(input.attempts, (attempt) => attempt.id).filter((attempt) => before(attempt.failedAt)),
    changes: dedupe(input.changes, (change) => `${change.deploymentId}\u0000${change.sha}`).filter((change) =>
      deploymentIds.has(change.deploymentId),
    ),
    pullRequests: dedupe(input.pullRequests, pullRequestKey),
    incidents,
  };
}

function dedupe<T extends object>(records: readonly T[], keyOf: (record: T) => string): T[] {
  // The canonical form is computed only when a key repeats: most inputs have
  // no copies, and serialising every record was most of a report's time.
  const kept = new Map<string, { record: T; canonical?: string }>();
  for (const record of records) {
    const key = keyOf(record);
    const current = kept.get(key);
    if (current === undefined) {
      kept.set(key, { record });
      continue;
    }
    current.canonical ??= canonicalJson(current.record);
    const canonical = canonicalJson(record);
    if (canonical > current.canonical) kept.set(key, { record, canonical });
  }
  return [...kept.values()].map((entry) => entry.record);
}

/** JSON with object keys sorted (Dates as ISO strings), so equal records serialise equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === "object" && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}
