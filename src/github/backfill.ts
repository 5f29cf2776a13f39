// Backfill: the last N days of a repository over REST, written through the
// same DoraCapture methods as webhooks (REST objects are mapped to the same
// observations), so a backfill after webhooks, or twice, changes nothing.
//
// The pipeline, in an order that saves API calls (merged PRs first, so merge
// commits are known when deployments look for their pull requests; oldest
// deployments first, so each one's changes are computed once):
//   1. repository (default branch)  2. pull requests updated in the window
//   3. default-branch commits        4. incident issues (one query per label)
//   5. deployments + their statuses  6. deploy workflow runs (+ earlier attempts)
//   7. published releases
import type { ProbotOctokit } from "probot";
import type { components } from "@octokit/openapi-types";
import type { DoraConfig } from "../config/dora-config.js";
import type { PrismaClient } from "../store/prisma.js";
import { isUniqueViolation } from "../store/prisma.js";
import type { DoraCapture } from "./dora-capture.js";
import { splitRepo } from "./deployment-changes.js";
import { fromRestDeployment, fromRestRelease, fromRestWorkflowRun } from "./events/deployment-events.js";
import type { ReleaseObservation } from "./events/deployment-events.js";
import type { DeploymentFacts } from "../store/capture-facts.js";
import { fromRestIssue } from "./events/issue-events.js";
import { fromRestPullRequest } from "./events/pull-request-events.js";
import { fromRestCommit } from "./events/push-events.js";
import { handleRateLimits } from "./rate-limit.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { MS_PER_DAY } from "../dora/index.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type RestWorkflowRun = components["schemas"]["workflow-run"];

export const DEFAULT_BACKFILL_DAYS = 90;

export interface BackfillCounts {
  pullRequests: number;
  commits: number;
  incidents: number;
  deployments: number;
  workflowRuns: number;
  releases: number;
}

export interface BackfillProgress {
  phase: keyof BackfillCounts;
  /** Items handled so far over all phases, and items known so far (grows as lists arrive). */
  done: number;
  total: number;
}

export interface BackfillOptions {
  repo: string;
  installationId?: number;
  days: number;
  config: DoraConfig;
  now?: Date;
  onProgress?: (progress: BackfillProgress) => void;
  rateLimit?: RateLimitOptions;
}

// Deployments from several sources wait in one list, oldest first.
type PendingDeployment = { kind: "facts"; createdAt: number; facts: DeploymentFacts } | { kind: "release"; createdAt: number; release: ReleaseObservation };

export async function backfillRepository(octokit: Octokit, capture: DoraCapture, options: BackfillOptions): Promise<BackfillCounts> {
  handleRateLimits(octokit, options.rateLimit);
  const { config } = options;
  // The API measures a repository with the settings capture used for it.
  await capture.settings(options.repo, config);
  const repoRef = splitRepo(options.repo);
  const since = new Date((options.now ?? new Date()).getTime() - options.days * MS_PER_DAY);
  const sinceIso = since.toISOString();
  const counts: BackfillCounts = { pullRequests: 0, commits: 0, incidents: 0, deployments: 0, workflowRuns: 0, releases: 0 };
  let done = 0;
  let total = 0;
  const listed = (items: number) => {
    total += items;
  };
  const step = (phase: keyof BackfillCounts) => {
    counts[phase] += 1;
    done += 1;
    options.onProgress?.({ phase, done, total });
  };

  // 1. The repository as GitHub names it (the CLI's spelling may differ in case).
  const { data: repository } = await octokit.rest.repos.get(repoRef);
  const repo = repository.full_name;
  const installationId = options.installationId;

  // 2. Pull requests updated in the window, newest first: stop at the first older one.
  const pullRequests = await octokit.paginate(
    octokit.rest.pulls.list,
    { ...repoRef, state: "all", sort: "updated", direction: "desc", per_page: 100 },
    (response, stop) => {
      const page = response.data.filter((pullRequest) => pullRequest.updated_at >= sinceIso);
      if (page.length < response.data.length) stop();
      return page;
    },
  );
  listed(pullRequests.length);
  for (const pullRequest of [...pullRequests].sort((a, b) => a.number - b.number)) {
    await capture.pullRequest(octokit, fromRestPullRequest(repo, installationId, pullRequest));
    step("pullRequests");
  }

  // 3. Default-branch commits (what push events would have carried).
  const commits = await octokit.paginate(octokit.rest.repos.listCommits, { ...repoRef, sha: repository.default_branch, since: sinceIso, per_page: 100 });
  listed(commits.length);
  await capture.commits(commits.map((commit) => fromRestCommit(repo, commit)));
  for (let index = 0; index < commits.length; index += 1) step("commits");

  // 4. Incident issues: one query per label (GitHub ANDs several labels), deduplicated.
  const issues = new Map<number, Parameters<typeof fromRestIssue>[2]>();
  for (const label of config.incidents.labels) {
    const page = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repoRef, state: "all", labels: label, since: sinceIso, per_page: 100 });
    for (const issue of page) issues.set(issue.number, issue);
  }
  listed(issues.size);
  for (const issue of [...issues.values()].sort((a, b) => a.number - b.number)) {
    const observation = fromRestIssue(repo, installationId, issue);
    if (observation) await capture.issue(observation, config);
    step("incidents");
  }

  const pending: PendingDeployment[] = [];

  // 5. Deployments created in the window (newest first), with all their statuses.
  if (config.deployments.deployment_status) {
    const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, { ...repoRef, per_page: 100 }, (response, stop) => {
      const page = response.data.filter((deployment) => deployment.created_at >= sinceIso);
      if (page.length < response.data.length) stop();
      return page;
    });
    for (const deployment of deployments) {
      const statuses = await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, { ...repoRef, deployment_id: deployment.id, per_page: 100 });
      const facts = fromRestDeployment(repo, installationId, deployment, statuses);
      pending.push({ kind: "facts", createdAt: facts.deployment.createdAt.getTime(), facts });
    }
  }

  // 6. Completed runs of the deploy workflows; re-runs: every earlier attempt too, as webhooks saw them.
  if (config.deployments.workflows.length > 0) {
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { ...repoRef, status: "completed", created: `>=${sinceIso}`, per_page: 100 });
    for (const run of runs) {
      const attempts: RestWorkflowRun[] = [run];
      for (let attempt = 1; attempt < (run.run_attempt ?? 1); attempt += 1) {
        const { data } = await octokit.rest.actions.getWorkflowRunAttempt({ ...repoRef, run_id: run.id, attempt_number: attempt });
        attempts.push(data);
      }
      const facts = attempts.flatMap((each) => fromRestWorkflowRun(repo, installationId, config, each) ?? []);
      const first = facts[0];
      if (!first) continue;
      pending.push({ kind: "facts", createdAt: first.deployment.createdAt.getTime(), facts: { deployment: first.deployment, statuses: facts.flatMap((each) => each.statuses) } });
    }
  }

  // 7. Releases published in the window.
  if (config.deployments.releases !== false) {
    const releases = await octokit.paginate(octokit.rest.repos.listReleases, { ...repoRef, per_page: 100 });
    for (const release of releases) {
      const observation = fromRestRelease(repo, installationId, config, release);
      if (observation && observation.publishedAt >= since) pending.push({ kind: "release", createdAt: observation.createdAt.getTime(), release: observation });
    }
  }

  listed(pending.length);
  pending.sort((a, b) => a.createdAt - b.createdAt);
  for (const item of pending) {
    if (item.kind === "release") {
      await capture.release(octokit, item.release);
      step("releases");
    } else {
      await capture.deployment(octokit, item.facts);
      step(item.facts.deployment.source === "workflow_run" ? "workflowRuns" : "deployments");
    }
  }
  return counts;
}

export interface BackfillJobOptions extends BackfillOptions {
  /** What asked: "cli:<time>" (installation backfills are queued: src/jobs/backfill-runner.ts). A job already done for the same trigger is skipped. */
  trigger: string;
  installationId: number;
}

/**
 * Runs a backfill recorded in dora_backfill_jobs, in the caller (the CLI). A retried
 * trigger skips a repository already finished.
 */
export async function runBackfillJob(
  prisma: PrismaClient,
  octokit: Octokit,
  capture: DoraCapture,
  options: BackfillJobOptions,
): Promise<{ skipped: boolean; counts?: BackfillCounts }> {
  const key = { repo: options.repo, trigger: options.trigger };
  const existing = await prisma.doraBackfillJob.findUnique({ where: { repo_trigger: key } });
  if (existing?.status === "done") return { skipped: true };
  const job = existing
    ? await prisma.doraBackfillJob.update({ where: { id: existing.id }, data: { status: "running", startedAt: new Date(), error: null, finishedAt: null } })
    : await prisma.doraBackfillJob
        .create({ data: { ...key, installationId: BigInt(options.installationId), days: options.days, status: "running" } })
        .catch(async (error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          return prisma.doraBackfillJob.findUniqueOrThrow({ where: { repo_trigger: key } });
        });
  try {
    const counts = await backfillRepository(octokit, capture, options);
    await prisma.doraBackfillJob.update({ where: { id: job.id }, data: { status: "done", finishedAt: new Date(), counts: { ...counts } } });
    return { skipped: false, counts };
  } catch (error) {
    await prisma.doraBackfillJob.update({
      where: { id: job.id },
      data: { status: "failed", finishedAt: new Date(), error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}
