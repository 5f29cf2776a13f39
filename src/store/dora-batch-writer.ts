// The DORA writes of many facts at once: one multi-row statement per kind of
// row. The batch capture (src/github/dora-batch-capture.ts) calls them for a
// whole claimed batch of deliveries; the one-at-a-time writers
// (dora-writer.ts) call them with one item, so each rule is written once:
// the upsert keys, "newest copy wins" and "lowest PR number wins", written
// as ON DUPLICATE KEY UPDATE clauses. MySQL applies the rows of one statement in order and evaluates
// the assignments of a clause left to right, each seeing the ones before it:
// so the column every condition reads (github_updated_at, pr_number) is
// assigned last.
import type { PullRequestObservation } from "./capture-facts.js";
import type { PrismaClient } from "./prisma.js";
import { Prisma, retryingWriteConflicts } from "./prisma.js";

/** TEXT holds 65,535 bytes: keep messages well inside it whatever the encoding. */
const MAX_MESSAGE_CHARS = 16_000;
/** Tries of a write that InnoDB rolled back as a deadlock victim. */
const WRITE_CONFLICT_ATTEMPTS = 4;

/**
 * A DORA write run again when InnoDB rolled it back as a deadlock victim
 * (several deliveries of one repository written side by side), rather than
 * failing the delivery into the inbox's backoff.
 */
export function retryingDoraWriteConflicts<T>(write: () => Promise<T>): Promise<T> {
  return retryingWriteConflicts(write, WRITE_CONFLICT_ATTEMPTS);
}

export function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length > max ? text.slice(0, max) : text;
}

export interface ChangeRow {
  sha: string;
  authoredAt: Date;
  committedAt?: Date;
  message: string;
  prRepo?: string;
  prNumber?: number;
}

/** Upserts pull requests; for each, a stored copy newer than the observation stays (upsertPullRequest). */
export async function upsertPullRequests(prisma: PrismaClient, pullRequests: readonly PullRequestObservation[]): Promise<void> {
  if (pullRequests.length === 0) return;
  const rows = pullRequests.map((pullRequest) => {
    const installationId = pullRequest.installationId === undefined ? null : BigInt(pullRequest.installationId);
    return Prisma.sql`(${pullRequest.repo}, ${pullRequest.number}, ${installationId}, ${clip(pullRequest.title, 1024)}, ${pullRequest.body ?? null},
      ${pullRequest.state}, ${pullRequest.headRef}, ${pullRequest.headSha ?? null}, ${pullRequest.baseRef}, ${JSON.stringify(pullRequest.labels)},
      ${pullRequest.openedAt}, ${pullRequest.closedAt ?? null}, ${pullRequest.mergedAt ?? null}, ${pullRequest.mergeCommitSha ?? null}, ${pullRequest.updatedAt})`;
  });
  const newer = Prisma.raw("github_updated_at <= VALUES(github_updated_at)");
  await retryingDoraWriteConflicts(() => prisma.$executeRaw`
    INSERT INTO dora_pull_requests (repo, number, installation_id, title, body, state, head_ref, head_sha, base_ref, labels,
                                    opened_at, closed_at, merged_at, merge_commit_sha, github_updated_at)
    VALUES ${Prisma.join(rows)}
    ON DUPLICATE KEY UPDATE
      installation_id = IF(${newer}, COALESCE(VALUES(installation_id), installation_id), installation_id),
      title = IF(${newer}, VALUES(title), title),
      body = IF(${newer}, VALUES(body), body),
      state = IF(${newer}, VALUES(state), state),
      head_ref = IF(${newer}, VALUES(head_ref), head_ref),
      head_sha = IF(${newer}, VALUES(head_sha), head_sha),
      base_ref = IF(${newer}, VALUES(base_ref), base_ref),
      labels = IF(${newer}, VALUES(labels), labels),
      opened_at = IF(${newer}, VALUES(opened_at), opened_at),
      closed_at = IF(${newer}, VALUES(closed_at), closed_at),
      merged_at = IF(${newer}, VALUES(merged_at), merged_at),
      merge_commit_sha = IF(${newer}, VALUES(merge_commit_sha), merge_commit_sha),
      github_updated_at = IF(${newer}, VALUES(github_updated_at), github_updated_at)`);
}

export interface PullRequestKey {
  repo: string;
  number: number;
}

/** Which of a merged PR's details are still to be listed from GitHub (stored PRs only). */
export async function pullRequestDetailsToList(
  prisma: PrismaClient,
  keys: readonly PullRequestKey[],
): Promise<Map<string, { commits: boolean; reviews: boolean }>> {
  const found = new Map<string, { commits: boolean; reviews: boolean }>();
  if (keys.length === 0) return found;
  const rows = await prisma.doraPullRequest.findMany({
    where: { OR: keys.map(({ repo, number }) => ({ repo, number })) },
    select: { repo: true, number: true, firstCommitAt: true, reviewsListedAt: true },
  });
  for (const row of rows) found.set(pullRequestKey(row), { commits: row.firstCommitAt === null, reviews: row.reviewsListedAt === null });
  return found;
}

export function pullRequestKey({ repo, number }: PullRequestKey): string {
  return `${repo}#${number}`;
}

/**
 * Links commits to pull requests (linkCommitsToPullRequest for many PRs at
 * once): a commit listed in several PRs keeps the lowest number, whichever
 * is written first.
 */
export async function linkCommitsToPullRequests(prisma: PrismaClient, links: ReadonlyArray<{ repo: string; sha: string; number: number }>): Promise<void> {
  if (links.length === 0) return;
  const now = new Date();
  const rows = links.map((link) => Prisma.sql`(${link.repo}, ${link.sha}, ${link.number}, ${now})`);
  const lower = Prisma.raw("(pr_number IS NULL OR pr_number > VALUES(pr_number))");
  await retryingDoraWriteConflicts(() => prisma.$executeRaw`
    INSERT INTO dora_commits (repo, sha, pr_number, pr_looked_up_at) VALUES ${Prisma.join(rows)}
    ON DUPLICATE KEY UPDATE
      pr_looked_up_at = IF(${lower}, VALUES(pr_looked_up_at), pr_looked_up_at),
      pr_number = IF(${lower}, VALUES(pr_number), pr_number)`);
}

/** Commits whose PR was looked up and none found (linkCommitsToPullRequest with null, for many). */
export async function markCommitsLookedUp(prisma: PrismaClient, commits: ReadonlyArray<{ repo: string; sha: string }>): Promise<void> {
  if (commits.length === 0) return;
  const now = new Date();
  const rows = commits.map((commit) => Prisma.sql`(${commit.repo}, ${commit.sha}, ${now})`);
  await retryingDoraWriteConflicts(() => prisma.$executeRaw`
    INSERT INTO dora_commits (repo, sha, pr_looked_up_at) VALUES ${Prisma.join(rows)}
    ON DUPLICATE KEY UPDATE pr_looked_up_at = COALESCE(pr_looked_up_at, VALUES(pr_looked_up_at))`);
}

/** setPullRequestFirstCommit for many PRs. */
export async function setPullRequestsFirstCommit(prisma: PrismaClient, firsts: ReadonlyArray<PullRequestKey & { at: Date }>): Promise<void> {
  if (firsts.length === 0) return;
  const values = firsts.map((first, index) => (index === 0 ? Prisma.sql`SELECT ${first.repo} AS repo, ${first.number} AS number, ${first.at} AS at` : Prisma.sql`SELECT ${first.repo}, ${first.number}, ${first.at}`));
  await prisma.$executeRaw`
    UPDATE dora_pull_requests p JOIN (${Prisma.join(values, " UNION ALL ")}) v ON p.repo = v.repo AND p.number = v.number
    SET p.first_commit_at = v.at`;
}

/** setPullRequestFirstReview for many PRs (at null: no review before the merge). */
export async function setPullRequestsFirstReview(prisma: PrismaClient, firsts: ReadonlyArray<PullRequestKey & { at: Date | undefined }>): Promise<void> {
  if (firsts.length === 0) return;
  const now = new Date();
  // CAST: a derived column whose every row is NULL would otherwise have no type.
  const values = firsts.map((first, index) =>
    index === 0 ? Prisma.sql`SELECT ${first.repo} AS repo, ${first.number} AS number, CAST(${first.at ?? null} AS DATETIME(3)) AS at` : Prisma.sql`SELECT ${first.repo}, ${first.number}, ${first.at ?? null}`,
  );
  await prisma.$executeRaw`
    UPDATE dora_pull_requests p JOIN (${Prisma.join(values, " UNION ALL ")}) v ON p.repo = v.repo AND p.number = v.number
    SET p.first_review_at = v.at, p.reviews_listed_at = ${now}`;
}

/** Where a successful deployment stands in its environment's order (the core's: deployed_at, ties by source key). */
export interface DeploymentPlace {
  id: bigint;
  repo: string;
  environment: string;
  deployedAt: Date;
  sourceKey: string;
}

export interface Neighbours {
  previous: { id: bigint; sha: string } | null;
  next: { id: bigint; changesBaseSha: string | null; changesComputedAt: Date | null } | null;
}

type NeighbourRow = { for_id: bigint; side: string; id: bigint; sha: string; changes_base_sha: string | null; changes_computed_at: Date | null };

/**
 * The previous and next successful deployment of each deployment's
 * environment (previousDeployment and nextDeployment of dora-writer.ts),
 * for all of them in one statement.
 */
export async function neighboursOf(prisma: Pick<PrismaClient, "$queryRaw">, places: readonly DeploymentPlace[]): Promise<Map<bigint, Neighbours>> {
  const found = new Map<bigint, Neighbours>(places.map((place) => [place.id, { previous: null, next: null }]));
  if (places.length === 0) return found;
  const columns = Prisma.raw("d.id, d.sha, d.changes_base_sha, d.changes_computed_at");
  const parts = places.flatMap((place) => {
    const same = Prisma.sql`d.repo = ${place.repo} AND d.environment = ${place.environment} AND d.deployed_at IS NOT NULL`;
    return [
      Prisma.sql`(SELECT ${place.id} AS for_id, 'previous' AS side, ${columns} FROM dora_deployments d
        WHERE ${same} AND (d.deployed_at < ${place.deployedAt} OR (d.deployed_at = ${place.deployedAt} AND d.source_key < ${place.sourceKey}))
        ORDER BY d.deployed_at DESC, d.source_key DESC LIMIT 1)`,
      Prisma.sql`(SELECT ${place.id} AS for_id, 'next' AS side, ${columns} FROM dora_deployments d
        WHERE ${same} AND (d.deployed_at > ${place.deployedAt} OR (d.deployed_at = ${place.deployedAt} AND d.source_key > ${place.sourceKey}))
        ORDER BY d.deployed_at ASC, d.source_key ASC LIMIT 1)`,
    ];
  });
  const rows = await prisma.$queryRaw<NeighbourRow[]>`${Prisma.join(parts, " UNION ALL ")}`;
  for (const row of rows) {
    const entry = found.get(BigInt(row.for_id));
    if (!entry) continue;
    if (row.side === "previous") entry.previous = { id: BigInt(row.id), sha: row.sha };
    else entry.next = { id: BigInt(row.id), changesBaseSha: row.changes_base_sha, changesComputedAt: row.changes_computed_at };
  }
  return found;
}

export interface ChangeReplacement {
  deploymentId: bigint;
  baseSha: string | null;
  rows: readonly ChangeRow[];
  truncated: boolean;
}

type PlaceRow = { id: bigint; repo: string; environment: string; deployed_at: Date | null; source_key: string };

/**
 * replaceChanges for many deployments in one transaction: each is replaced
 * only if it has succeeded and its previous deployment still has `baseSha`,
 * both read once its row is locked (a status arriving meanwhile may have
 * moved its deployed_at). Returns the ids replaced; the caller recomputes
 * the others.
 */
export function replaceChangesOfMany(prisma: PrismaClient, replacements: readonly ChangeReplacement[]): Promise<Set<bigint>> {
  if (replacements.length === 0) return Promise.resolve(new Set());
  return retryingDoraWriteConflicts(() =>
    prisma.$transaction(
      async (tx) => {
        // Locked in id order, as every writer of several deployments does: no lock-order deadlock between them.
        const locked = await tx.$queryRaw<PlaceRow[]>`
          SELECT id, repo, environment, deployed_at, source_key FROM dora_deployments
          WHERE id IN (${Prisma.join(replacements.map((replacement) => replacement.deploymentId))}) ORDER BY id FOR UPDATE`;
        const places = locked.flatMap((row): DeploymentPlace[] =>
          row.deployed_at === null ? [] : [{ id: BigInt(row.id), repo: row.repo, environment: row.environment, deployedAt: row.deployed_at, sourceKey: row.source_key }],
        );
        const neighbours = await neighboursOf(tx, places);
        const current = replacements.filter((replacement) => {
          const found = neighbours.get(replacement.deploymentId);
          return found !== undefined && (found.previous?.sha ?? null) === replacement.baseSha;
        });
        if (current.length === 0) return new Set<bigint>();
        const currentIds = current.map((replacement) => replacement.deploymentId);
        await tx.$executeRaw`DELETE FROM dora_changes WHERE deployment_id IN (${Prisma.join(currentIds)})`;
        const changes = current.flatMap((replacement) =>
          replacement.rows.map(
            (change) => Prisma.sql`(${replacement.deploymentId}, ${change.sha}, ${change.authoredAt}, ${change.committedAt ?? null}, ${clip(change.message)}, ${change.prRepo ?? null}, ${change.prNumber ?? null})`,
          ),
        );
        if (changes.length > 0) {
          // IGNORE: a sha listed twice for one deployment is kept once.
          await tx.$executeRaw`
            INSERT IGNORE INTO dora_changes (deployment_id, sha, authored_at, committed_at, message, pr_repo, pr_number) VALUES ${Prisma.join(changes)}`;
        }
        const baseSha = Prisma.join(current.map((replacement) => Prisma.sql`WHEN ${replacement.deploymentId} THEN ${replacement.baseSha}`), " ");
        const truncated = Prisma.join(current.map((replacement) => Prisma.sql`WHEN ${replacement.deploymentId} THEN ${replacement.truncated}`), " ");
        await tx.$executeRaw`
          UPDATE dora_deployments SET changes_base_sha = CASE id ${baseSha} END, changes_truncated = CASE id ${truncated} END, changes_computed_at = ${new Date()}
          WHERE id IN (${Prisma.join(currentIds)})`;
        return new Set(currentIds);
      },
      // READ COMMITTED: the delete and insert take no gap locks on
      // dora_changes, so deployments written side by side do not deadlock;
      // the deployments' row locks above order the writers of one deployment.
      { timeout: 30_000, isolationLevel: "ReadCommitted" },
    ),
  );
}

/** What the store already knows of commits' pull requests, for one repository. */
export interface KnownLinks {
  /** sha -> PR number: a merged PR whose merge commit it is, else the PR it was listed in. */
  links: Map<string, number>;
  /** Shas whose PR was looked up and stored (with a number or none). */
  lookedUp: Set<string>;
}

/**
 * The first two sources of DoraCapture's commit -> PR link, for several
 * repositories in two statements: a merged PR whose merge commit the sha is
 * (merge and squash merges; the lowest number when several), then the PR a
 * stored commit was linked to.
 */
export async function knownPullRequestLinks(prisma: PrismaClient, requests: ReadonlyArray<{ repo: string; shas: readonly string[] }>): Promise<Map<string, KnownLinks>> {
  // Keyed case-blind, as the column's collation compares names.
  const known = new Map<string, KnownLinks>();
  const entryOf = (repo: string) => known.get(repo.toLowerCase());
  const wanted = requests.filter((request) => request.shas.length > 0);
  for (const { repo } of requests) if (!entryOf(repo)) known.set(repo.toLowerCase(), { links: new Map(), lookedUp: new Set() });
  const answer = () => new Map(requests.map(({ repo }) => [repo, entryOf(repo)!]));
  if (wanted.length === 0) return answer();
  // Only merged PRs whose commits and reviews were listed: one stored by a
  // lookup whose listing failed is looked up again, which lists them then
  // (otherwise nothing would, since its merge commit would link from here).
  const merged = await prisma.doraPullRequest.findMany({
    where: {
      mergedAt: { not: null },
      firstCommitAt: { not: null },
      reviewsListedAt: { not: null },
      OR: wanted.map(({ repo, shas }) => ({ repo, mergeCommitSha: { in: [...shas] } })),
    },
    select: { repo: true, number: true, mergeCommitSha: true },
    orderBy: { number: "asc" },
  });
  for (const pullRequest of merged) {
    const links = entryOf(pullRequest.repo)?.links;
    if (links && pullRequest.mergeCommitSha && !links.has(pullRequest.mergeCommitSha)) links.set(pullRequest.mergeCommitSha, pullRequest.number);
  }
  const rest = wanted.flatMap(({ repo, shas }) => {
    const unlinked = shas.filter((sha) => !entryOf(repo)!.links.has(sha));
    return unlinked.length > 0 ? [{ repo, sha: { in: unlinked } }] : [];
  });
  if (rest.length === 0) return answer();
  const commits = await prisma.doraCommit.findMany({ where: { OR: rest }, select: { repo: true, sha: true, prNumber: true, prLookedUpAt: true } });
  for (const commit of commits) {
    const entry = entryOf(commit.repo);
    if (!entry) continue;
    if (commit.prNumber !== null) entry.links.set(commit.sha, commit.prNumber);
    if (commit.prLookedUpAt !== null) entry.lookedUp.add(commit.sha);
  }
  return answer();
}
