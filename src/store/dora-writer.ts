// Writes DORA capture facts. Every write is an upsert on a natural key, and
// derived columns are recomputed from the stored facts (never from the event
// in hand), so the same facts in any order, any number of times, give the
// same rows. The one-at-a-time capture (backfill, issues, releases, workflow
// runs, the batch's fallback) calls these; the rules they share with the
// batch capture are written once, in dora-batch-writer.ts, and called here
// with one item.
import type {
  CommitObservation,
  DeploymentFacts,
  DeploymentObservation,
  DeploymentStatusObservation,
  IssueObservation,
  PullRequestObservation,
} from "./capture-facts.js";
import type { PrismaClient } from "./prisma.js";
import { isUniqueViolation, Prisma } from "./prisma.js";
import type { DoraDeployment } from "./generated/client.js";
import type { ChangeRow } from "./dora-batch-writer.js";
import {
  clip,
  linkCommitsToPullRequests,
  markCommitsLookedUp,
  replaceChangesOfMany,
  retryingDoraWriteConflicts,
  setPullRequestsFirstCommit,
  setPullRequestsFirstReview,
  upsertPullRequests,
} from "./dora-batch-writer.js";

/**
 * Creates the deployment on first sight (from a deployment or a status event);
 * its facts never change, only a late installation id is filled in. One
 * INSERT … ON DUPLICATE KEY UPDATE: two first sightings at once cannot both
 * insert, and neither fails.
 */
export async function upsertDeployment(prisma: PrismaClient, observation: DeploymentObservation): Promise<bigint> {
  const installationId = observation.installationId === undefined ? null : BigInt(observation.installationId);
  await prisma.$executeRaw`
    INSERT INTO dora_deployments (repo, source_key, installation_id, source, environment, sha, ref, created_at)
    VALUES (${observation.repo}, ${observation.sourceKey}, ${installationId}, ${observation.source}, ${observation.environment},
            ${observation.sha}, ${observation.ref ?? null}, ${observation.createdAt})
    ON DUPLICATE KEY UPDATE installation_id = COALESCE(VALUES(installation_id), installation_id)`;
  const row = await prisma.doraDeployment.findUniqueOrThrow({ where: { repo_sourceKey: { repo: observation.repo, sourceKey: observation.sourceKey } }, select: { id: true } });
  return row.id;
}

/**
 * Stores statuses (one multi-row upsert: a redelivered status is stored
 * once, a corrected one replaces its copy) and recomputes the deployment's
 * summary from ALL of its statuses in one statement: state = latest by the
 * status's own time, deployed_at = first success, failed_at = first failure
 * or error. Without statuses nothing changes: the summary already reflects
 * every stored status (each write of one recomputed it).
 */
export async function recordDeploymentStatuses(
  prisma: PrismaClient,
  deploymentId: bigint,
  statuses: readonly DeploymentStatusObservation[],
): Promise<DoraDeployment> {
  if (statuses.length > 0) {
    const rows = statuses.map((status) => Prisma.sql`(${deploymentId}, ${status.statusKey}, ${status.state}, ${status.createdAt})`);
    await retryingDoraWriteConflicts(() => prisma.$executeRaw`
      INSERT INTO dora_deployment_statuses (deployment_id, status_key, state, created_at) VALUES ${Prisma.join(rows)}
      ON DUPLICATE KEY UPDATE state = VALUES(state), created_at = VALUES(created_at)`);
    await retryingDoraWriteConflicts(() => summariseStatuses(prisma, [deploymentId]));
  }
  return prisma.doraDeployment.findUniqueOrThrow({ where: { id: deploymentId } });
}

/**
 * Several deployments with their statuses at once, for deliveries handled
 * side by side (dora-write-batches.ts): the same rows as upsertDeployment
 * and recordDeploymentStatuses for each, in five statements for all of
 * them. Returns each deployment's row, in order. Throws when a row could not
 * be matched to its item (two items whose keys differ only as the column's
 * collation ignores): the caller then writes them one by one.
 */
export async function recordDeployments(prisma: PrismaClient, batch: readonly DeploymentFacts[]): Promise<DoraDeployment[]> {
  const deployments = batch.map((facts) => {
    const observation = facts.deployment;
    const installationId = observation.installationId === undefined ? null : BigInt(observation.installationId);
    return Prisma.sql`(${observation.repo}, ${observation.sourceKey}, ${installationId}, ${observation.source}, ${observation.environment},
      ${observation.sha}, ${observation.ref ?? null}, ${observation.createdAt})`;
  });
  await prisma.$executeRaw`
    INSERT INTO dora_deployments (repo, source_key, installation_id, source, environment, sha, ref, created_at)
    VALUES ${Prisma.join(deployments)}
    ON DUPLICATE KEY UPDATE installation_id = COALESCE(VALUES(installation_id), installation_id)`;
  const keyOf = (repo: string, sourceKey: string) => JSON.stringify([repo, sourceKey]);
  const found = await prisma.doraDeployment.findMany({
    where: { OR: batch.map((facts) => ({ repo: facts.deployment.repo, sourceKey: facts.deployment.sourceKey })) },
    select: { id: true, repo: true, sourceKey: true },
  });
  const idOf = new Map(found.map((row) => [keyOf(row.repo, row.sourceKey), row.id]));
  const ids = batch.map((facts) => {
    const id = idOf.get(keyOf(facts.deployment.repo, facts.deployment.sourceKey));
    if (id === undefined) throw new Error(`deployment ${facts.deployment.repo} ${facts.deployment.sourceKey} not found by its exact key after its insert`);
    return id;
  });
  const statuses = batch.flatMap((facts, index) => facts.statuses.map((status) => Prisma.sql`(${ids[index]!}, ${status.statusKey}, ${status.state}, ${status.createdAt})`));
  if (statuses.length > 0) {
    const withStatuses = [...new Set(batch.flatMap((facts, index) => (facts.statuses.length > 0 ? [ids[index]!] : [])))];
    await prisma.$executeRaw`
      INSERT INTO dora_deployment_statuses (deployment_id, status_key, state, created_at) VALUES ${Prisma.join(statuses)}
      ON DUPLICATE KEY UPDATE state = VALUES(state), created_at = VALUES(created_at)`;
    await summariseStatuses(prisma, withStatuses);
  }
  const rows = new Map((await prisma.doraDeployment.findMany({ where: { id: { in: [...new Set(ids)] } } })).map((row) => [row.id, row]));
  return ids.map((id) => rows.get(id)!);
}

/** Each deployment's summary from ALL of its statuses (see recordDeploymentStatuses). */
function summariseStatuses(prisma: PrismaClient, deploymentIds: readonly bigint[]): Promise<number> {
  return prisma.$executeRaw`
    UPDATE dora_deployments d SET
      deployed_at = (SELECT MIN(s.created_at) FROM dora_deployment_statuses s WHERE s.deployment_id = d.id AND s.state = 'success'),
      failed_at = (SELECT MIN(s.created_at) FROM dora_deployment_statuses s WHERE s.deployment_id = d.id AND s.state IN ('failure', 'error')),
      state = COALESCE((SELECT s.state FROM dora_deployment_statuses s WHERE s.deployment_id = d.id ORDER BY s.created_at DESC, s.status_key DESC LIMIT 1), 'pending'),
      state_at = (SELECT MAX(s.created_at) FROM dora_deployment_statuses s WHERE s.deployment_id = d.id)
    WHERE d.id IN (${Prisma.join(deploymentIds)})`;
}

type DeploymentPosition = Pick<DoraDeployment, "id" | "repo" | "environment" | "deployedAt" | "sourceKey">;

/** Deployment order is the core's: deployed_at, ties by record id (compareDeployments). */
function orderedAround(deployment: DeploymentPosition, direction: "previous" | "next") {
  const deployedAt = deployment.deployedAt ?? new Date(0);
  const before = direction === "previous";
  return {
    where: {
      repo: deployment.repo,
      environment: deployment.environment,
      deployedAt: { not: null },
      OR: [
        { deployedAt: before ? { lt: deployedAt } : { gt: deployedAt } },
        { deployedAt, sourceKey: before ? { lt: deployment.sourceKey } : { gt: deployment.sourceKey } },
      ],
    },
    orderBy: [{ deployedAt: before ? ("desc" as const) : ("asc" as const) }, { sourceKey: before ? ("desc" as const) : ("asc" as const) }],
  };
}

type Reader = Pick<PrismaClient, "doraDeployment">;

/** The previous successful deployment of the same repo and environment. */
export function previousDeployment(prisma: Reader, deployment: DeploymentPosition): Promise<DoraDeployment | null> {
  return prisma.doraDeployment.findFirst(orderedAround(deployment, "previous"));
}

export function nextDeployment(prisma: Reader, deployment: DeploymentPosition): Promise<DoraDeployment | null> {
  return prisma.doraDeployment.findFirst(orderedAround(deployment, "next"));
}

/**
 * Replaces a deployment's changes, provided its previous deployment still has
 * `baseSha` (null: none) once the row is locked. Returns false when another
 * deployment has meanwhile become the previous one: the caller recomputes.
 * This check-under-lock is what makes concurrent, out-of-order computations
 * converge (see docs/capture.md). One deployment of replaceChangesOfMany.
 */
export async function replaceChanges(
  prisma: PrismaClient,
  deploymentId: bigint,
  baseSha: string | null,
  rows: readonly ChangeRow[],
  truncated: boolean,
): Promise<boolean> {
  return (await replaceChangesOfMany(prisma, [{ deploymentId, baseSha, rows, truncated }])).has(deploymentId);
}

/** True when the stored changes were computed against `baseSha`. */
export function changesAreCurrent(deployment: DoraDeployment, baseSha: string | null): boolean {
  return deployment.changesComputedAt !== null && deployment.changesBaseSha === baseSha;
}

/**
 * Upserts where GitHub's updated_at is not older than the stored copy:
 * a late, older event never overwrites a newer one. `create` false: update only.
 */
async function upsertNewest(
  update: () => Promise<{ count: number }>,
  create: (() => Promise<unknown>) | undefined,
): Promise<void> {
  if ((await update()).count > 0 || !create) return;
  try {
    await create();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await update();
  }
}

/** Newest copy wins (GitHub's updated_at): upsertPullRequests for one. */
export async function upsertPullRequest(prisma: PrismaClient, pullRequest: PullRequestObservation): Promise<void> {
  await upsertPullRequests(prisma, [pullRequest]);
}

export async function setPullRequestFirstCommit(prisma: PrismaClient, repo: string, number: number, firstCommitAt: Date): Promise<void> {
  await setPullRequestsFirstCommit(prisma, [{ repo, number, at: firstCommitAt }]);
}

/** Records a merged PR's first review (undefined: none) and that its reviews were listed. */
export async function setPullRequestFirstReview(prisma: PrismaClient, repo: string, number: number, firstReviewAt: Date | undefined): Promise<void> {
  await setPullRequestsFirstReview(prisma, [{ repo, number, at: firstReviewAt }]);
}

/**
 * An issue: created when it is an incident (or, with keepTombstone, when it
 * just lost its incident label); an existing row follows it (isIncident false once unlabelled).
 */
export async function upsertIncident(
  prisma: PrismaClient,
  issue: IssueObservation,
  facts: { isIncident: boolean; rootCauseSha?: string; environment?: string; keepTombstone?: boolean },
): Promise<void> {
  const data = {
    ...(issue.installationId === undefined ? {} : { installationId: BigInt(issue.installationId) }),
    title: clip(issue.title, 1024),
    body: issue.body ?? null,
    labels: issue.labels,
    isIncident: facts.isIncident,
    openedAt: issue.openedAt,
    closedAt: issue.closedAt ?? null,
    rootCauseSha: facts.rootCauseSha ?? null,
    environment: facts.environment ?? null,
    githubUpdatedAt: issue.updatedAt,
  };
  const key = { repo: issue.repo, number: issue.number };
  await upsertNewest(
    () => prisma.doraIncident.updateMany({ where: { ...key, githubUpdatedAt: { lte: issue.updatedAt } }, data }),
    facts.isIncident || facts.keepTombstone ? () => prisma.doraIncident.create({ data: { ...key, ...data } }) : undefined,
  );
}

/** Commits are immutable: the first copy stored stays. */
export async function recordCommits(prisma: PrismaClient, commits: readonly CommitObservation[]): Promise<void> {
  if (commits.length === 0) return;
  await prisma.doraCommit.createMany({
    data: commits.map((commit) => ({
      repo: commit.repo,
      sha: commit.sha,
      authoredAt: commit.authoredAt ?? null,
      committedAt: commit.committedAt ?? null,
      message: commit.message === undefined ? null : clip(commit.message),
    })),
    skipDuplicates: true,
  });
}

/**
 * Records which pull request commits belong to (null: none). A commit listed
 * in several PRs keeps the lowest number, so the result does not depend on
 * which PR was seen first.
 */
export async function linkCommitsToPullRequest(prisma: PrismaClient, repo: string, shas: readonly string[], prNumber: number | null): Promise<void> {
  if (prNumber === null) await markCommitsLookedUp(prisma, shas.map((sha) => ({ repo, sha })));
  else await linkCommitsToPullRequests(prisma, shas.map((sha) => ({ repo, sha, number: prNumber })));
}
