// DORA capture of a whole claimed batch of deliveries at once: the inbox
// worker hands every push, pull_request, deployment and deployment_status
// delivery of a batch here before any handler runs (src/inbox/worker.ts).
// Capture is idempotent and independent of arrival order (dora-capture.ts),
// so a batch can be written in phases, each a handful of multi-row
// statements for all of its deliveries (src/store/dora-batch-writer.ts):
//   1. settings: each repository's, read once (cached) and recorded;
//   2. facts: every push's commits, every PR (newest copy wins), every
//      deployment with its statuses;
//   3. merged PRs: their commits and reviews listed from GitHub (side by
//      side), written together;
//   4. successful deployments: previous and next deployment of each, the
//      compare API for those whose changes are not current, links to PRs
//      from what the store knows, then all changes replaced in one
//      transaction; a deployment whose previous changed meanwhile, or whose
//      next must follow it, goes through the one-at-a-time path.
// Every delivery gets its own outcome. A GitHub call that fails fails the
// deliveries it served (they are retried). A batched write that fails is
// done again one delivery at a time through the one-at-a-time path
// (DoraCapture), so one bad delivery never fails its neighbours. The rows
// are those of the one-at-a-time path whatever the batch (tested by running
// the same histories through both).
import type { PushEvent } from "@octokit/webhooks-types";
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { DoraConfig } from "../config/dora-config.js";
import { limitConcurrency } from "../lib/concurrency.js";
import { settle } from "../lib/group-commit.js";
import type { Settled } from "../lib/group-commit.js";
import type { CommitObservation, DeploymentFacts, PullRequestObservation } from "../store/capture-facts.js";
import {
  knownPullRequestLinks,
  linkCommitsToPullRequests,
  markCommitsLookedUp,
  neighboursOf,
  pullRequestDetailsToList,
  pullRequestKey,
  replaceChangesOfMany,
  retryingDoraWriteConflicts,
  setPullRequestsFirstCommit,
  setPullRequestsFirstReview,
  upsertPullRequests,
} from "../store/dora-batch-writer.js";
import type { ChangeReplacement, ChangeRow, DeploymentPlace, KnownLinks } from "../store/dora-batch-writer.js";
import { changesAreCurrent, recordCommits, recordDeployments } from "../store/dora-writer.js";
import type { DoraDeployment } from "../store/generated/client.js";
import type { PrismaClient } from "../store/prisma.js";
import { fetchFirstReview, fetchPullRequestCommits, firstAuthoredAt, linkedRows } from "./dora-capture.js";
import type { DoraCapture } from "./dora-capture.js";
import { fromDeploymentEvent, fromDeploymentStatusEvent } from "./events/deployment-events.js";
import { fromPullRequestEvent, fromRestPullRequest } from "./events/pull-request-events.js";
import { splitRepo } from "./deployment-changes.js";
import { fromPushEvent, isDefaultBranchPush } from "./events/push-events.js";
import type { DeploymentEvent, DeploymentStatusEvent, PullRequestEvent } from "@octokit/webhooks-types";
import { repositoryDoraSettings } from "./handlers/capture-settings.js";
import { handleRateLimits } from "./rate-limit.js";
import type { RepoConfigCache } from "./repo-config-cache.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/**
 * GitHub calls of one batch in flight at once: each is a round trip of tens
 * of milliseconds, and GitHub asks integrations to keep well under 100
 * concurrent requests (secondary rate limits).
 */
const GITHUB_CALLS_IN_FLIGHT = 32;

export interface CaptureDelivery {
  event: string;
  payload: Record<string, unknown>;
}

/** The deliveries whose DORA capture this path does (the handlers of these events do not capture). */
export function isBatchCaptured(event: string, payload: Record<string, unknown>): boolean {
  if (event === "push" || event === "pull_request") return true;
  return (event === "deployment" || event === "deployment_status") && payload.action === "created";
}

export interface BatchCaptureServices {
  prisma: PrismaClient;
  log: Pick<Logger, "info" | "warn" | "debug">;
  repoConfig: Pick<RepoConfigCache, "get">;
  /** The one-at-a-time path: the fallback, and the source of the rules both follow. */
  writer: DoraCapture;
  octokitFor(installationId: number): Promise<Octokit>;
}

/** One delivery of the batch, once its settings are known. */
interface Planned {
  index: number;
  repo: string;
  octokit: Octokit;
  config: DoraConfig;
  commits?: CommitObservation[];
  pullRequest?: PullRequestObservation;
  deployment?: DeploymentFacts;
}

/** Outcomes being gathered: one per delivery, a failure kept once set. */
class Outcomes {
  private readonly errors = new Map<number, unknown>();

  fail(index: number, error: unknown): void {
    if (!this.errors.has(index)) this.errors.set(index, error);
  }

  failed(index: number): boolean {
    return this.errors.has(index);
  }

  settled(count: number): Array<Settled<void>> {
    return Array.from({ length: count }, (_, index) => (this.errors.has(index) ? { ok: false as const, error: this.errors.get(index) } : { ok: true as const, value: undefined }));
  }
}

export class DoraBatchCapture {
  constructor(private readonly services: BatchCaptureServices) {}

  /** Captures every delivery (each one isBatchCaptured); one outcome per delivery, in order. */
  async capture(deliveries: readonly CaptureDelivery[]): Promise<Array<Settled<void>>> {
    const outcomes = new Outcomes();
    const planned = await this.plan(deliveries, outcomes);
    const written = await settle(this.writeFacts(planned));
    if (!written.ok) {
      this.services.log.warn({ err: written.error, deliveries: planned.length }, "DORA batch write failed; capturing its deliveries one at a time");
      await this.oneAtATime(planned, outcomes);
      return outcomes.settled(deliveries.length);
    }
    // PRs before changes: a deployment's commits are then linked from the store, not looked up on GitHub.
    const pullRequests = await settle(this.captureMergedPullRequests(planned, outcomes));
    if (!pullRequests.ok) await this.oneAtATime(planned.filter((item) => item.pullRequest?.mergedAt), outcomes);
    const changes = await settle(this.captureChanges(successfulDeployments(planned, written.value), outcomes, { andNext: true }));
    if (!changes.ok) await this.oneAtATime(planned.filter((item) => item.deployment), outcomes);
    return outcomes.settled(deliveries.length);
  }

  /** 1. Each repository's settings once, then each delivery's facts (none: nothing to capture). */
  private async plan(deliveries: readonly CaptureDelivery[], outcomes: Outcomes): Promise<Planned[]> {
    const octokits = new Map<number, Promise<Octokit>>();
    const settings = new Map<string, Promise<DoraConfig | undefined>>();
    const planned = await Promise.all(
      deliveries.map(async (delivery, index): Promise<Planned | undefined> => {
        const payload = delivery.payload as { installation?: { id?: number }; repository?: { name?: string; full_name?: string; owner?: { login?: string } | null } };
        // App deliveries always name their installation; without one there is no token to read the settings or the compare API with.
        const installationId = payload.installation?.id;
        const owner = payload.repository?.owner?.login;
        const name = payload.repository?.name;
        if (installationId === undefined || !owner || !name) return undefined;
        // Nothing to capture whatever the settings (a push to another branch): not even a token is asked for.
        if (delivery.event === "push" && !isDefaultBranchPush(delivery.payload as unknown as PushEvent)) return undefined;
        try {
          if (!octokits.has(installationId)) octokits.set(installationId, this.services.octokitFor(installationId).then((octokit) => handleRateLimits(octokit, { log: this.services.log })));
          const octokit = await octokits.get(installationId)!;
          const repo = `${owner}/${name}`;
          if (!settings.has(repo)) settings.set(repo, repositoryDoraSettings(this.services, octokit, owner, name));
          const config = await settings.get(repo)!;
          if (!config) return undefined;
          return { index, repo, octokit, config, ...factsOf(delivery, config) };
        } catch (error) {
          outcomes.fail(index, error);
          return undefined;
        }
      }),
    );
    return planned.filter((item): item is Planned => item !== undefined);
  }

  /** 2. Commits, pull requests, deployments with statuses: one statement each (five for deployments). */
  private async writeFacts(planned: readonly Planned[]): Promise<Map<number, DoraDeployment>> {
    const { prisma } = this.services;
    await retryingDoraWriteConflicts(() => recordCommits(prisma, planned.flatMap((item) => item.commits ?? [])));
    await upsertPullRequests(prisma, newestCopies(planned.flatMap((item) => (item.pullRequest ? [item.pullRequest] : []))));
    const withDeployment = planned.filter((item) => item.deployment);
    const rows = withDeployment.length === 0 ? [] : await retryingDoraWriteConflicts(() => recordDeployments(prisma, withDeployment.map((item) => item.deployment!)));
    return new Map(withDeployment.map((item, position) => [item.index, rows[position]!]));
  }

  /** 3. What merged PRs' payloads lack, listed once: their commits and reviews. */
  private async captureMergedPullRequests(planned: readonly Planned[], outcomes: Outcomes): Promise<void> {
    const merged = new Map<string, MergedPullRequest>();
    for (const item of planned) {
      if (!item.pullRequest?.mergedAt) continue;
      const key = pullRequestKey(item.pullRequest);
      const entry = merged.get(key) ?? { pullRequest: item.pullRequest, octokit: item.octokit, indexes: [] };
      entry.indexes.push(item.index);
      if (item.pullRequest.updatedAt >= entry.pullRequest.updatedAt) entry.pullRequest = item.pullRequest;
      merged.set(key, entry);
    }
    await this.listMergedPullRequestDetails(merged, outcomes);
  }

  /**
   * Lists what stored merged PRs still lack (commits, reviews) from GitHub,
   * and writes it for all of them together. Returns the errors of the PRs
   * (by key) whose details are still missing: their deliveries are failed.
   */
  private async listMergedPullRequestDetails(merged: ReadonlyMap<string, MergedPullRequest>, outcomes: Outcomes): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    if (merged.size === 0) return failures;
    const toList = await pullRequestDetailsToList(this.services.prisma, [...merged.values()].map((entry) => entry.pullRequest));
    const work = [...merged].flatMap(([key, entry]) => {
      const wanted = toList.get(key);
      return wanted && (wanted.commits || wanted.reviews) ? [{ ...entry, wanted }] : [];
    });
    // Side by side, as the one-at-a-time path: each listing writes its own columns, so either may fail alone.
    const limit = limitConcurrency(GITHUB_CALLS_IN_FLIGHT);
    const listed = await Promise.all(
      work.map(async ({ pullRequest, octokit, wanted }) => {
        const [commits, review] = await Promise.all([
          wanted.commits ? limit(() => settle(fetchPullRequestCommits(octokit, pullRequest.repo, pullRequest.number))) : undefined,
          wanted.reviews ? limit(() => settle(fetchFirstReview(octokit, pullRequest))) : undefined,
        ]);
        return { commits, review };
      }),
    );
    const commits: CommitObservation[] = [];
    const links: Array<{ repo: string; sha: string; number: number }> = [];
    const firstCommits: Array<{ repo: string; number: number; at: Date }> = [];
    const firstReviews: Array<{ repo: string; number: number; at: Date | undefined }> = [];
    work.forEach(({ pullRequest, indexes }, position) => {
      const { commits: listedCommits, review } = listed[position]!;
      const { repo, number } = pullRequest;
      for (const failure of [listedCommits, review]) {
        if (!failure || failure.ok) continue;
        for (const index of indexes) outcomes.fail(index, failure.error);
        failures.set(pullRequestKey(pullRequest), failure.error);
      }
      if (listedCommits?.ok) {
        commits.push(...listedCommits.value);
        links.push(...listedCommits.value.map((commit) => ({ repo, sha: commit.sha, number })));
        const first = firstAuthoredAt(listedCommits.value);
        if (first) firstCommits.push({ repo, number, at: first });
      }
      if (review?.ok) firstReviews.push({ repo, number, at: review.value });
    });
    const { prisma } = this.services;
    const written = await settle(
      (async () => {
        await retryingDoraWriteConflicts(() => recordCommits(prisma, commits));
        await linkCommitsToPullRequests(prisma, links);
        await setPullRequestsFirstCommit(prisma, firstCommits);
        await setPullRequestsFirstReview(prisma, firstReviews);
      })(),
    );
    if (!written.ok) {
      this.services.log.warn({ err: written.error }, "DORA batch write of merged pull requests failed; writing them one at a time");
      await Promise.all(
        [...merged.values()].map(async ({ pullRequest, octokit, indexes }) => {
          const one = await settle(this.services.writer.pullRequest(octokit, pullRequest));
          if (one.ok) return;
          for (const index of indexes) outcomes.fail(index, one.error);
          failures.set(pullRequestKey(pullRequest), one.error);
        }),
      );
    }
    return failures;
  }

  /**
   * 4. The changes of every successful deployment of the batch and, with
   * `andNext`, then those of the deployment after each, which may have had
   * it as its previous one only now (out-of-order deliveries): the same
   * steps for those, in a second round.
   */
  private async captureChanges(successful: ReadonlyMap<bigint, DeploymentEntry>, outcomes: Outcomes, options: { andNext: boolean }): Promise<void> {
    if (successful.size === 0) return;
    const failAll = (indexes: readonly number[], error: unknown) => indexes.forEach((index) => outcomes.fail(index, error));
    const { prisma, writer } = this.services;
    const places = [...successful.values()].map(({ row }) => placeOf(row));
    const neighbours = await settle(neighboursOf(prisma, places));
    if (!neighbours.ok) {
      await this.changesOneAtATime([...successful.values()], outcomes);
      return;
    }
    const stale = [...successful.values()]
      .map((entry) => ({ ...entry, baseSha: neighbours.value.get(entry.row.id)?.previous?.sha ?? null }))
      .filter(({ row, baseSha }) => !changesAreCurrent(row, baseSha));
    const limit = limitConcurrency(GITHUB_CALLS_IN_FLIGHT);
    const compared = await Promise.all(stale.map(({ row, octokit, baseSha }) => limit(() => settle(writer.comparedChanges(octokit, row, baseSha)))));
    const ready = stale.flatMap((entry, position) => {
      const result = compared[position]!;
      if (!result.ok) {
        failAll(entry.indexes, result.error);
        return [];
      }
      return [{ ...entry, ...result.value }];
    });
    const linked = await settle(
      (async () => {
        const known = await knownPullRequestLinks(prisma, ready.map(({ row, rows: changes }) => ({ repo: row.repo, shas: changes.map((change) => change.sha) })));
        const failed = await this.lookUpUnknownCommits(ready, known, outcomes);
        return ready.map((entry): Settled<ChangeRow[]> => {
          const failure = failed.get(entry);
          return failure === undefined ? { ok: true, value: linkedRows(entry.row.repo, entry.rows, known.get(entry.row.repo)!) } : { ok: false, error: failure };
        });
      })(),
    );
    if (!linked.ok) {
      await this.changesOneAtATime(ready, outcomes);
      return;
    }
    const replacements: Array<ChangeReplacement & { entry: (typeof ready)[number] }> = [];
    ready.forEach((entry, position) => {
      const links = linked.value[position]!;
      if (links.ok) replacements.push({ deploymentId: entry.row.id, baseSha: entry.baseSha, rows: links.value, truncated: entry.truncated, entry });
      else failAll(entry.indexes, links.error);
    });
    const replaced = await settle(replaceChangesOfMany(prisma, replacements));
    // Not replaced: another deployment became the previous one meanwhile (or the write failed): one at a time.
    const again = replacements.filter(({ deploymentId }) => !replaced.ok || !replaced.value.has(deploymentId)).map(({ entry }) => entry);
    await this.changesOneAtATime(again, outcomes);
    if (!options.andNext) return;
    const nexts = new Map<bigint, { octokit: Octokit; indexes: number[] }>();
    for (const { row, octokit, indexes } of successful.values()) {
      const next = neighbours.value.get(row.id)?.next;
      if (!next || successful.has(next.id)) continue;
      if (next.changesComputedAt !== null && next.changesBaseSha === row.sha) continue;
      const entry = nexts.get(next.id) ?? { octokit, indexes: [] };
      entry.indexes.push(...indexes);
      nexts.set(next.id, entry);
    }
    if (nexts.size === 0) return;
    const rows = await settle(prisma.doraDeployment.findMany({ where: { id: { in: [...nexts.keys()] } } }));
    if (!rows.ok) {
      for (const { indexes } of nexts.values()) failAll(indexes, rows.error);
      return;
    }
    const nextEntries = new Map(rows.value.map((row) => [row.id, { row, ...nexts.get(row.id)! }]));
    await this.captureChanges(nextEntries, outcomes, { andNext: false });
  }

  /**
   * GitHub's commit -> PRs API for every commit of the batch's changes that
   * the store cannot link (one call per commit, side by side), then what the
   * one-at-a-time path does with each answer, written together: the merged
   * PR with the lowest number is stored as its pull_request event would be
   * (details listed), and the commit linked to it; a commit with none is
   * remembered as looked up. `known` is completed in place. Returns the
   * entries whose lookup failed, with the error.
   */
  private async lookUpUnknownCommits(
    entries: readonly DeploymentEntryWithChanges[],
    known: ReadonlyMap<string, KnownLinks>,
    outcomes: Outcomes,
  ): Promise<Map<DeploymentEntryWithChanges, unknown>> {
    const failed = new Map<DeploymentEntryWithChanges, unknown>();
    const unknown = new Map<string, { repo: string; sha: string; octokit: Octokit; entries: DeploymentEntryWithChanges[] }>();
    for (const entry of entries) {
      const { links, lookedUp } = known.get(entry.row.repo)!;
      for (const { sha } of entry.rows) {
        if (links.has(sha) || lookedUp.has(sha)) continue;
        const key = `${entry.row.repo}@${sha}`;
        const wanted = unknown.get(key) ?? { repo: entry.row.repo, sha, octokit: entry.octokit, entries: [] };
        wanted.entries.push(entry);
        unknown.set(key, wanted);
      }
    }
    if (unknown.size === 0) return failed;
    const limit = limitConcurrency(GITHUB_CALLS_IN_FLIGHT);
    const answers = await Promise.all(
      [...unknown.values()].map(({ octokit, repo, sha }) =>
        limit(() => settle(octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...splitRepo(repo), commit_sha: sha, per_page: 100 }))),
      ),
    );
    const none: Array<{ repo: string; sha: string }> = [];
    const chosen: Array<{ repo: string; sha: string; number: number }> = [];
    const merged = new Map<string, MergedPullRequest>();
    [...unknown.values()].forEach(({ repo, sha, octokit, entries: waiting }, position) => {
      const answer = answers[position]!;
      if (!answer.ok) {
        for (const entry of waiting) if (!failed.has(entry)) failed.set(entry, answer.error);
        return;
      }
      const pullRequest = answer.value.data.filter((candidate) => candidate.merged_at !== null).sort((a, b) => a.number - b.number)[0];
      if (!pullRequest) {
        none.push({ repo, sha });
        return;
      }
      chosen.push({ repo, sha, number: pullRequest.number });
      const observation = fromRestPullRequest(repo, undefined, pullRequest);
      const key = pullRequestKey(observation);
      const entry = merged.get(key) ?? { pullRequest: observation, octokit, indexes: [] };
      entry.indexes.push(...waiting.flatMap((waiter) => waiter.indexes));
      merged.set(key, entry);
    });
    const { prisma } = this.services;
    await markCommitsLookedUp(prisma, none);
    await upsertPullRequests(prisma, [...merged.values()].map((entry) => entry.pullRequest));
    const unlisted = await this.listMergedPullRequestDetails(merged, outcomes);
    // A PR whose details could not be listed: its commits stay unlinked and the
    // deployments waiting on them unwritten, so the retry looks them up again
    // and lists the details then (as the one-at-a-time path does).
    const linkable = chosen.filter(({ repo, sha, number }) => {
      const error = unlisted.get(pullRequestKey({ repo, number }));
      if (error === undefined) return true;
      for (const entry of unknown.get(`${repo}@${sha}`)!.entries) if (!failed.has(entry)) failed.set(entry, error);
      return false;
    });
    await linkCommitsToPullRequests(prisma, linkable);
    // The number each commit ends with (a commit in several PRs keeps the lowest).
    const stored = await knownPullRequestLinks(prisma, [...groupShas([...none, ...linkable])].map(([repo, shas]) => ({ repo, shas })));
    for (const [repo, links] of stored) {
      const entry = known.get(repo)!;
      for (const [sha, number] of links.links) entry.links.set(sha, number);
      for (const sha of links.lookedUp) entry.lookedUp.add(sha);
    }
    return failed;
  }

  private async changesOneAtATime(entries: readonly DeploymentEntry[], outcomes: Outcomes): Promise<void> {
    for (const { row, octokit, indexes } of entries) {
      const done = await settle(
        this.services.prisma.doraDeployment.findUniqueOrThrow({ where: { id: row.id } }).then((current) => this.services.writer.ensureChanges(octokit, current)),
      );
      if (!done.ok) for (const index of indexes) outcomes.fail(index, done.error);
    }
  }

  /** The one-at-a-time path for each delivery: what a failed batched write falls back to. */
  private async oneAtATime(planned: readonly Planned[], outcomes: Outcomes): Promise<void> {
    const { writer } = this.services;
    for (const item of planned) {
      if (outcomes.failed(item.index)) continue;
      const done = await settle(
        (async () => {
          if (item.commits) await writer.commits(item.commits);
          if (item.pullRequest) await writer.pullRequest(item.octokit, item.pullRequest);
          if (item.deployment) await writer.deployment(item.octokit, item.deployment);
        })(),
      );
      if (!done.ok) outcomes.fail(item.index, done.error);
    }
  }
}

/** A successful deployment whose changes are to be made current, with the deliveries that wait on it. */
interface DeploymentEntry {
  row: DoraDeployment;
  octokit: Octokit;
  indexes: number[];
}

/** A stored merged PR whose details may still be listed, with the deliveries that wait on it. */
interface MergedPullRequest {
  pullRequest: PullRequestObservation;
  octokit: Octokit;
  indexes: number[];
}

type DeploymentEntryWithChanges = DeploymentEntry & { rows: ChangeRow[] };

function groupShas(commits: ReadonlyArray<{ repo: string; sha: string }>): Map<string, string[]> {
  const byRepo = new Map<string, string[]>();
  for (const { repo, sha } of commits) byRepo.set(repo, [...(byRepo.get(repo) ?? []), sha]);
  return byRepo;
}

/** The batch's successful deployments, each once, with the deliveries that wrote it. */
function successfulDeployments(planned: readonly Planned[], rows: ReadonlyMap<number, DoraDeployment>): Map<bigint, DeploymentEntry> {
  const successful = new Map<bigint, DeploymentEntry>();
  for (const item of planned) {
    const row = rows.get(item.index);
    if (!row || row.deployedAt === null) continue;
    const entry = successful.get(row.id) ?? { row, octokit: item.octokit, indexes: [] };
    entry.indexes.push(item.index);
    successful.set(row.id, entry);
  }
  return successful;
}

/** What one delivery gives DORA capture under the repository's settings. */
function factsOf(delivery: CaptureDelivery, config: DoraConfig): Pick<Planned, "commits" | "pullRequest" | "deployment"> {
  switch (delivery.event) {
    case "push": {
      const payload = delivery.payload as unknown as PushEvent;
      return isDefaultBranchPush(payload) ? { commits: fromPushEvent(payload) } : {};
    }
    case "pull_request":
      return { pullRequest: fromPullRequestEvent(delivery.payload as unknown as PullRequestEvent) };
    case "deployment":
      return config.deployments.deployment_status ? { deployment: fromDeploymentEvent(delivery.payload as unknown as DeploymentEvent) } : {};
    case "deployment_status":
      return config.deployments.deployment_status ? { deployment: fromDeploymentStatusEvent(delivery.payload as unknown as DeploymentStatusEvent) } : {};
    default:
      return {};
  }
}

/** One copy per PR, the newest (GitHub's updated_at; a later delivery wins a tie): the statement then needs no order. */
function newestCopies(pullRequests: readonly PullRequestObservation[]): PullRequestObservation[] {
  const newest = new Map<string, PullRequestObservation>();
  for (const pullRequest of pullRequests) {
    const key = pullRequestKey(pullRequest);
    const kept = newest.get(key);
    if (!kept || pullRequest.updatedAt >= kept.updatedAt) newest.set(key, pullRequest);
  }
  return [...newest.values()];
}

function placeOf(row: DoraDeployment): DeploymentPlace {
  return { id: row.id, repo: row.repo, environment: row.environment, deployedAt: row.deployedAt!, sourceKey: row.sourceKey };
}
