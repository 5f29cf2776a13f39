// Reads the stored DORA facts back as the pure core's records (src/dora).
// loadDoraInput returns what computeDoraReport needs for a window, including
// the context before it that attribution, rollbacks and reverts look at;
// findDeployments / findChanges / findIncidents list the rows behind a figure
// (the report's evidence ids are the record ids used here).
import type {
  ChangeRecord,
  DeploymentAttemptRecord,
  DeploymentRecord,
  DeploymentSource,
  DoraInput,
  IncidentRecord,
  PullRequestRecord,
} from "../dora/index.js";
import type { DoraChange, DoraDeployment, DoraIncident, DoraPullRequest } from "./generated/client.js";
import type { PrismaClient } from "./prisma.js";
import { MS_PER_DAY } from "../dora/index.js";

export interface DoraInputQuery {
  /** Every repo of this installation (the API's tenant scope). */
  installationId?: number | bigint;
  /** "owner/name". */
  repo?: string;
  /**
   * One environment only (lower-case, as stored). Leave it out for reports
   * over production: window attribution of incidents needs the production
   * deployments of the repo, whatever the environment measured.
   */
  environment?: string;
  /** Window start, inclusive. */
  from: Date;
  /** Window end, exclusive. */
  to: Date;
  /**
   * Days before `from` whose deployments (with their changes) and incidents
   * are loaded too: the previous deployment of a rollback, the deployment an
   * incident or a revert points back to. Default 30.
   */
  lookbackDays?: number;
}

export const DEFAULT_LOOKBACK_DAYS = 30;

function scope(query: DoraInputQuery) {
  return {
    ...(query.installationId === undefined ? {} : { installationId: BigInt(query.installationId) }),
    ...(query.repo === undefined ? {} : { repo: query.repo }),
  };
}

export function deploymentRecord(row: DoraDeployment): DeploymentRecord {
  if (row.deployedAt === null) throw new Error(`deployment ${row.sourceKey} has not succeeded`);
  return {
    id: row.sourceKey,
    repo: row.repo,
    environment: row.environment,
    sha: row.sha,
    ...(row.ref === null ? {} : { ref: row.ref }),
    deployedAt: row.deployedAt,
    source: row.source as DeploymentSource,
  };
}

export function attemptRecord(row: DoraDeployment): DeploymentAttemptRecord {
  if (row.failedAt === null) throw new Error(`deployment ${row.sourceKey} has not failed`);
  return { id: row.sourceKey, repo: row.repo, environment: row.environment, sha: row.sha, failedAt: row.failedAt };
}

export function changeRecord(row: DoraChange, deploymentKey: string): ChangeRecord {
  return {
    deploymentId: deploymentKey,
    sha: row.sha,
    authoredAt: row.authoredAt,
    ...(row.committedAt === null ? {} : { committedAt: row.committedAt }),
    message: row.message,
    ...(row.prRepo !== null && row.prNumber !== null ? { pullRequest: { repo: row.prRepo, number: row.prNumber } } : {}),
  };
}

export function pullRequestRecord(row: DoraPullRequest): PullRequestRecord {
  return {
    repo: row.repo,
    number: row.number,
    title: row.title,
    openedAt: row.openedAt,
    ...(row.firstCommitAt === null ? {} : { firstCommitAt: row.firstCommitAt }),
    ...(row.firstReviewAt === null ? {} : { firstReviewAt: row.firstReviewAt }),
    ...(row.mergedAt === null ? {} : { mergedAt: row.mergedAt }),
    ...(row.mergeCommitSha === null ? {} : { mergeCommitSha: row.mergeCommitSha }),
    headRef: row.headRef,
    labels: Array.isArray(row.labels) ? (row.labels as string[]) : [],
    ...(row.body === null ? {} : { body: row.body }),
  };
}

/** Incident record ids are "owner/name#number". */
export function incidentId(repo: string, number: number): string {
  return `${repo}#${number}`;
}

export function incidentRecord(row: DoraIncident): IncidentRecord {
  return {
    id: incidentId(row.repo, row.number),
    repo: row.repo,
    number: row.number,
    title: row.title,
    openedAt: row.openedAt,
    ...(row.closedAt === null ? {} : { closedAt: row.closedAt }),
    ...(row.rootCauseSha === null ? {} : { rootCauseSha: row.rootCauseSha }),
    ...(row.environment === null ? {} : { environment: row.environment }),
  };
}

/** The core's records for [from - lookback, to), in a deterministic order. */
export async function loadDoraInput(prisma: PrismaClient, query: DoraInputQuery): Promise<DoraInput> {
  if (!(query.to.getTime() > query.from.getTime())) throw new RangeError("`to` must be after `from`");
  const since = new Date(query.from.getTime() - (query.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * MS_PER_DAY);
  const where = { ...scope(query), ...(query.environment === undefined ? {} : { environment: query.environment }) };

  const [deploymentRows, attemptRows, incidentRows] = await Promise.all([
    prisma.doraDeployment.findMany({
      where: { ...where, deployedAt: { gte: since, lt: query.to } },
      orderBy: [{ deployedAt: "asc" }, { sourceKey: "asc" }],
    }),
    prisma.doraDeployment.findMany({
      where: { ...where, failedAt: { gte: since, lt: query.to } },
      orderBy: [{ failedAt: "asc" }, { sourceKey: "asc" }],
    }),
    prisma.doraIncident.findMany({
      where: {
        ...scope(query),
        isIncident: true,
        openedAt: { lt: query.to },
        OR: [{ closedAt: null }, { closedAt: { gte: since } }],
      },
      orderBy: [{ repo: "asc" }, { number: "asc" }],
    }),
  ]);

  const keyOfDeployment = new Map(deploymentRows.map((row) => [row.id, row.sourceKey]));
  const changeRows = deploymentRows.length === 0
    ? []
    : await prisma.doraChange.findMany({ where: { deploymentId: { in: [...keyOfDeployment.keys()] } }, orderBy: [{ deploymentId: "asc" }, { sha: "asc" }] });
  const changes = changeRows.map((row) => changeRecord(row, keyOfDeployment.get(row.deploymentId) ?? String(row.deploymentId)));
  const pullRequests = await findPullRequests(
    prisma,
    changes.flatMap((change) => (change.pullRequest ? [change.pullRequest] : [])),
  );

  return {
    deployments: deploymentRows.map(deploymentRecord),
    attempts: attemptRows.map(attemptRecord),
    changes,
    pullRequests,
    incidents: incidentRows.map(incidentRecord),
  };
}

async function findPullRequests(prisma: PrismaClient, refs: ReadonlyArray<{ repo: string; number: number }>): Promise<PullRequestRecord[]> {
  const byRepo = new Map<string, Set<number>>();
  for (const ref of refs) {
    const numbers = byRepo.get(ref.repo) ?? new Set<number>();
    numbers.add(ref.number);
    byRepo.set(ref.repo, numbers);
  }
  if (byRepo.size === 0) return [];
  const rows = await prisma.doraPullRequest.findMany({
    where: { OR: [...byRepo].map(([repo, numbers]) => ({ repo, number: { in: [...numbers] } })) },
    orderBy: [{ repo: "asc" }, { number: "asc" }],
  });
  return rows.map(pullRequestRecord);
}

// --- evidence ------------------------------------------------------------------

/** A deployment behind a figure, with what the record leaves out. */
export interface DeploymentEvidence {
  id: string;
  repo: string;
  environment: string;
  sha: string;
  ref: string | null;
  source: string;
  state: string;
  createdAt: Date;
  deployedAt: Date | null;
  failedAt: Date | null;
  changeCount: number;
  changesTruncated: boolean;
}

/** Deployments (or failed attempts) by record id ("deployment:123"...), optionally within an installation. */
export async function findDeployments(prisma: PrismaClient, ids: readonly string[], installationId?: number | bigint): Promise<DeploymentEvidence[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.doraDeployment.findMany({
    where: { sourceKey: { in: [...ids] }, ...(installationId === undefined ? {} : { installationId: BigInt(installationId) }) },
    orderBy: [{ deployedAt: "asc" }, { sourceKey: "asc" }],
  });
  const counts = await prisma.doraChange.groupBy({ by: ["deploymentId"], where: { deploymentId: { in: rows.map((row) => row.id) } }, _count: { _all: true } });
  const countOf = new Map(counts.map((count) => [count.deploymentId, count._count._all]));
  return rows.map((row) => ({
    id: row.sourceKey,
    repo: row.repo,
    environment: row.environment,
    sha: row.sha,
    ref: row.ref,
    source: row.source,
    state: row.state,
    createdAt: row.createdAt,
    deployedAt: row.deployedAt,
    failedAt: row.failedAt,
    changeCount: countOf.get(row.id) ?? 0,
    changesTruncated: row.changesTruncated,
  }));
}

/** The changes of deployments by record id. */
export async function findChanges(prisma: PrismaClient, deploymentIds: readonly string[], installationId?: number | bigint): Promise<ChangeRecord[]> {
  if (deploymentIds.length === 0) return [];
  const deployments = await prisma.doraDeployment.findMany({
    where: { sourceKey: { in: [...deploymentIds] }, ...(installationId === undefined ? {} : { installationId: BigInt(installationId) }) },
    select: { id: true, sourceKey: true },
  });
  const keyOf = new Map(deployments.map((row) => [row.id, row.sourceKey]));
  const rows = await prisma.doraChange.findMany({ where: { deploymentId: { in: [...keyOf.keys()] } }, orderBy: [{ deploymentId: "asc" }, { sha: "asc" }] });
  return rows.map((row) => changeRecord(row, keyOf.get(row.deploymentId) ?? ""));
}

/** Incidents by record id ("owner/name#12"). */
export async function findIncidents(prisma: PrismaClient, ids: readonly string[], installationId?: number | bigint): Promise<IncidentRecord[]> {
  const keys = ids.flatMap((id) => {
    const match = /^(.+)#(\d+)$/.exec(id);
    return match?.[1] && match[2] ? [{ repo: match[1], number: Number(match[2]) }] : [];
  });
  if (keys.length === 0) return [];
  const rows = await prisma.doraIncident.findMany({
    where: { OR: keys, ...(installationId === undefined ? {} : { installationId: BigInt(installationId) }) },
    orderBy: [{ repo: "asc" }, { number: "asc" }],
  });
  return rows.map(incidentRecord);
}

/**
 * The repositories whose DORA records an installation's measurement reads
 * (deployments and incidents; changes and pull requests are read through the
 * deployments), lower-cased and sorted: a reader
 * that may show an installation's figures only to someone who can see every
 * one of them asks here.
 */
export async function repositoriesOfInstallation(prisma: PrismaClient, installationId: number | bigint): Promise<string[]> {
  const id = BigInt(installationId);
  const rows = await prisma.$queryRaw<Array<{ repo: string }>>`
    SELECT DISTINCT repo FROM dora_deployments WHERE installation_id = ${id}
    UNION SELECT DISTINCT repo FROM dora_incidents WHERE installation_id = ${id}`;
  return [...new Set(rows.map((row) => row.repo.toLowerCase()))].sort();
}
