// The writers of DORA capture: one method per kind of fact, called by the
// webhook handlers (handlers/*.ts) and by the backfill (backfill.ts) with
// the same observations, so the two agree by construction. Each method is
// idempotent and independent of arrival order:
//   deployment(): upsert the deployment, store its statuses, and when it has
//     succeeded make its changes (and those of the next deployment of the
//     environment, whose "previous" it may have just become) current.
//   pullRequest(): newest copy wins; once merged, its commits and its
//     reviews are listed once (first commit time, commit -> PR links, first
//     review time).
//   issue(): incident label on -> row; off -> row kept with isIncident false.
//   commits(): default-branch pushes.
//   settings(): the repository's effective `dora` settings, stored when they
//     change (the API measures the repository with them).
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { DoraConfig } from "../config/dora-config.js";
import type { PrismaClient } from "../store/prisma.js";
import {
  changesAreCurrent,
  linkCommitsToPullRequest,
  nextDeployment,
  previousDeployment,
  replaceChanges,
  setPullRequestFirstCommit,
  setPullRequestFirstReview,
  upsertIncident,
  upsertPullRequest,
} from "../store/dora-writer.js";
import type { ChangeRow } from "../store/dora-batch-writer.js";
import { DoraRepoSettingsRecorder } from "../store/dora-repo-settings.js";
import { DoraWriteBatches } from "../store/dora-write-batches.js";
import { knownPullRequestLinks } from "../store/dora-batch-writer.js";
import type { KnownLinks } from "../store/dora-batch-writer.js";
import type { DoraDeployment } from "../store/generated/client.js";
import { changeRows, compareCommits, getCommit, splitRepo } from "./deployment-changes.js";
import { releaseDeployment } from "./events/deployment-events.js";
import type { ReleaseObservation } from "./events/deployment-events.js";
import { isIncident, lostIncidentLabel, rootCauseOf } from "./events/issue-events.js";
import type { CommitObservation, DeploymentFacts, IssueObservation, PullRequestObservation } from "../store/capture-facts.js";
import { firstReviewAt, fromRestPullRequest } from "./events/pull-request-events.js";
import { fromRestCommit } from "./events/push-events.js";
import { handleRateLimits } from "./rate-limit.js";
import { httpStatusOf } from "../lib/http-status.js";
import { settleAll } from "./handlers/settle-all.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** A changed "previous deployment" under our feet: recompute, a bounded number of times. */
const MAX_CHANGE_RECOMPUTES = 5;

export class DoraCapture {
  private readonly repoSettings: DoraRepoSettingsRecorder;
  /** The deployments and commits of deliveries handled side by side, written together. */
  private readonly batches: DoraWriteBatches;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Pick<Logger, "info" | "warn" | "debug">,
  ) {
    this.repoSettings = new DoraRepoSettingsRecorder(prisma);
    this.batches = new DoraWriteBatches(prisma);
  }

  async deployment(octokit: Octokit, facts: DeploymentFacts): Promise<DoraDeployment> {
    handleRateLimits(octokit, { log: this.log });
    const row = await this.batches.deployment(facts);
    if (row.deployedAt !== null) {
      await this.ensureChanges(octokit, row);
      // An out-of-order deployment may have become the previous one of the next deployment.
      const next = await nextDeployment(this.prisma, row);
      if (next) await this.ensureChanges(octokit, next);
    }
    return row;
  }

  /** A published release: resolve its tag to a commit, then a deployment like any other. */
  async release(octokit: Octokit, release: ReleaseObservation): Promise<DoraDeployment> {
    handleRateLimits(octokit, { log: this.log });
    const commit = await getCommit(octokit, release.repo, release.tagName);
    return this.deployment(octokit, releaseDeployment(release, commit.sha));
  }

  async pullRequest(octokit: Octokit, pullRequest: PullRequestObservation): Promise<void> {
    handleRateLimits(octokit, { log: this.log });
    await upsertPullRequest(this.prisma, pullRequest);
    if (pullRequest.mergedAt) await this.ensureMergedPullRequestDetails(octokit, pullRequest);
  }

  async issue(issue: IssueObservation, config: DoraConfig): Promise<void> {
    const rootCauseSha = rootCauseOf(issue);
    await upsertIncident(this.prisma, issue, {
      isIncident: isIncident(issue, config),
      keepTombstone: lostIncidentLabel(issue, config),
      ...(rootCauseSha ? { rootCauseSha } : {}),
    });
  }

  async commits(commits: readonly CommitObservation[]): Promise<void> {
    await this.batches.commits(commits);
  }

  /** Called on every delivery; writes only when the settings differ from those last stored by this process. */
  async settings(repo: string, config: DoraConfig): Promise<void> {
    if (await this.repoSettings.record(repo, config)) this.log.info({ repository: repo }, "DORA settings of the repository recorded");
  }

  /** Makes a successful deployment's stored changes match its current previous deployment. */
  async ensureChanges(octokit: Octokit, deployment: DoraDeployment): Promise<void> {
    let current = deployment;
    for (let attempt = 0; attempt < MAX_CHANGE_RECOMPUTES; attempt += 1) {
      const previous = await previousDeployment(this.prisma, current);
      const baseSha = previous?.sha ?? null;
      if (changesAreCurrent(current, baseSha)) return;
      const { rows, truncated } = await this.computeChanges(octokit, current, baseSha);
      if (await replaceChanges(this.prisma, current.id, baseSha, rows, truncated)) return;
      current = await this.prisma.doraDeployment.findUniqueOrThrow({ where: { id: current.id } });
    }
    throw new Error(`the previous deployment of ${deployment.sourceKey} kept changing; giving up for now (the delivery is retried)`);
  }

  private async computeChanges(octokit: Octokit, deployment: DoraDeployment, baseSha: string | null): Promise<{ rows: ChangeRow[]; truncated: boolean }> {
    const compared = await this.comparedChanges(octokit, deployment, baseSha);
    const known = (await knownPullRequestLinks(this.prisma, [{ repo: deployment.repo, shas: compared.rows.map((row) => row.sha) }])).get(deployment.repo)!;
    return { rows: await this.linkChanges(octokit, deployment.repo, compared.rows, known), truncated: compared.truncated };
  }

  /** What a deployment shipped since `baseSha` (null: its head commit only), not yet linked to pull requests. */
  async comparedChanges(octokit: Octokit, deployment: Pick<DoraDeployment, "repo" | "sha" | "sourceKey">, baseSha: string | null): Promise<{ rows: ChangeRow[]; truncated: boolean }> {
    if (baseSha === deployment.sha) return { rows: [], truncated: false };
    if (baseSha === null) return { rows: changeRows(deployment.repo, [await getCommit(octokit, deployment.repo, deployment.sha)]), truncated: false };
    try {
      const { commits, truncated } = await compareCommits(octokit, deployment.repo, baseSha, deployment.sha);
      if (truncated) this.log.warn({ deployment: deployment.sourceKey, kept: commits.length }, "compare API capped at 10,000 commits: older changes are missing");
      return { rows: changeRows(deployment.repo, commits), truncated };
    } catch (error) {
      // The previous sha no longer exists (force push): count the head commit, as for a first deployment.
      if (httpStatusOf(error) !== 404) throw error;
      this.log.warn({ deployment: deployment.sourceKey, baseSha }, "previous deployment's commit is gone; counting the head commit only");
      return { rows: changeRows(deployment.repo, [await getCommit(octokit, deployment.repo, deployment.sha)]), truncated: false };
    }
  }

  /**
   * Links change rows to their pull requests. In order: what the store
   * knows (`known`: a merged PR whose merge commit it is, a PR that listed
   * it), else GitHub's commit -> PRs API (one call per unknown commit,
   * remembered in dora_commits).
   */
  async linkChanges(octokit: Octokit, repo: string, rows: readonly ChangeRow[], known: KnownLinks): Promise<ChangeRow[]> {
    const links = new Map(known.links);
    for (const { sha } of rows) {
      if (links.has(sha) || known.lookedUp.has(sha)) continue;
      const number = await this.lookUpPullRequest(octokit, repo, sha);
      if (number !== undefined) links.set(sha, number);
    }
    return linkedRows(repo, rows, { links, lookedUp: known.lookedUp });
  }

  private async lookUpPullRequest(octokit: Octokit, repo: string, sha: string): Promise<number | undefined> {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...splitRepo(repo), commit_sha: sha, per_page: 100 });
    const chosen = data.filter((pullRequest) => pullRequest.merged_at !== null).sort((a, b) => a.number - b.number)[0];
    if (!chosen) {
      await linkCommitsToPullRequest(this.prisma, repo, [sha], null);
      return undefined;
    }
    // Store the PR as any pull_request event would, with its commits listed.
    const observation = fromRestPullRequest(repo, undefined, chosen);
    await upsertPullRequest(this.prisma, observation);
    await this.ensureMergedPullRequestDetails(octokit, observation);
    await linkCommitsToPullRequest(this.prisma, repo, [sha], chosen.number);
    const link = await this.prisma.doraCommit.findUnique({ where: { repo_sha: { repo, sha } }, select: { prNumber: true } });
    return link?.prNumber ?? chosen.number;
  }

  /** What a merged PR's own payload lacks, fetched once: its commits and its reviews. */
  private async ensureMergedPullRequestDetails(octokit: Octokit, pullRequest: PullRequestObservation): Promise<void> {
    const { repo, number } = pullRequest;
    const stored = await this.prisma.doraPullRequest.findUnique({ where: { repo_number: { repo, number } }, select: { firstCommitAt: true, reviewsListedAt: true } });
    if (!stored) return;
    // Side by side: two GitHub round trips in the time of one. Each writes
    // only its own columns, so either may fail alone and be listed again on
    // the delivery's retry.
    await settleAll([
      stored.firstCommitAt === null ? this.listPullRequestCommits(octokit, repo, number) : Promise.resolve(),
      stored.reviewsListedAt === null ? this.listPullRequestReviews(octokit, pullRequest) : Promise.resolve(),
    ]);
  }

  /** The first review by someone else before the merge (rule: firstReviewAt in events/pull-request-events.ts). */
  private async listPullRequestReviews(octokit: Octokit, pullRequest: PullRequestObservation): Promise<void> {
    await setPullRequestFirstReview(this.prisma, pullRequest.repo, pullRequest.number, await fetchFirstReview(octokit, pullRequest));
  }

  /** Lists a merged PR's commits: its first commit time, and commit -> PR links. */
  private async listPullRequestCommits(octokit: Octokit, repo: string, number: number): Promise<void> {
    const observations = await fetchPullRequestCommits(octokit, repo, number);
    await this.batches.commits(observations);
    await linkCommitsToPullRequest(this.prisma, repo, observations.map((commit) => commit.sha), number);
    const first = firstAuthoredAt(observations);
    if (first) await setPullRequestFirstCommit(this.prisma, repo, number, first);
  }
}

/** A merged PR's first review by someone else, from GitHub. */
export async function fetchFirstReview(octokit: Octokit, pullRequest: PullRequestObservation): Promise<Date | undefined> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...splitRepo(pullRequest.repo), pull_number: pullRequest.number, per_page: 100 });
  return firstReviewAt(reviews, pullRequest);
}

/** A PR's commits, from GitHub (it lists at most 250; the earliest authored among them is close enough). */
export async function fetchPullRequestCommits(octokit: Octokit, repo: string, number: number): Promise<CommitObservation[]> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { ...splitRepo(repo), pull_number: number, per_page: 100 });
  return commits.map((commit) => fromRestCommit(repo, commit));
}

/** Change rows linked to the pull requests `known` gives their commits. */
export function linkedRows(repo: string, rows: readonly ChangeRow[], known: KnownLinks): ChangeRow[] {
  return rows.map((row) => {
    const number = known.links.get(row.sha);
    return number === undefined ? row : { ...row, prRepo: repo, prNumber: number };
  });
}

/** The earliest authored time among commits: a PR's first commit. */
export function firstAuthoredAt(commits: readonly CommitObservation[]): Date | undefined {
  const authored = commits.flatMap((commit) => (commit.authoredAt ? [commit.authoredAt.getTime()] : []));
  return authored.length > 0 ? new Date(Math.min(...authored)) : undefined;
}
