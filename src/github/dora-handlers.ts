// DORA capture's webhook handlers: payload -> observation (events/*.ts) ->
// DoraCapture. They run from the inbox worker, which retries a handler that
// throws, so each one is idempotent. Per-repo settings come from
// .github/iact.yml through the shared RepoConfigCache; an invalid file is
// captured with the defaults (the checks feature tells the users). The
// settings used are recorded for the API (DoraCapture.settings), which writes
// only when they change.
import type { IssuesEvent, PullRequestEvent, PushEvent, ReleaseEvent, WorkflowRunEvent } from "@octokit/webhooks-types";
import type { Logger } from "pino";
import type { Context, Probot } from "probot";
import { defaultDoraConfig } from "../config/dora-config.js";
import type { DoraConfig } from "../config/dora-config.js";
import type { RepoConfigCache } from "./repo-config-cache.js";
import type { PrismaClient } from "../store/prisma.js";
import { enqueueBackfills } from "../store/dora-backfill-jobs.js";
import { DEFAULT_BACKFILL_DAYS } from "./backfill.js";
import { DoraCapture } from "./dora-capture.js";
import { fromDeploymentEvent, fromDeploymentStatusEvent, fromReleaseEvent, fromWorkflowRunEvent } from "./events/deployment-events.js";
import { fromIssuesEvent } from "./events/issue-events.js";
import { fromPullRequestEvent } from "./events/pull-request-events.js";
import { fromPushEvent, isDefaultBranchPush, touchesRepoConfig } from "./events/push-events.js";

export interface DoraCaptureDependencies {
  log: Logger;
  prisma: PrismaClient;
  repoConfig: Pick<RepoConfigCache, "get" | "invalidate">;
  /** Days backfilled when the app is installed on a repository; 0 turns it off. Default 90. */
  installBackfillDays?: number;
}

// Probot types payloads with @octokit/openapi-webhooks-types; the mappers take
// @octokit/webhooks-types (STYLE.md). Same JSON, two type packages: cast once here.
function payloadAs<T>(context: { payload: unknown }): T {
  return context.payload as T;
}

type RepoContext = Pick<Context, "octokit" | "id" | "name"> & { payload: { repository?: { name: string; owner: { login: string } } } };

export function registerDoraCapture(app: Probot, dependencies: DoraCaptureDependencies): DoraCapture {
  const { log, prisma, repoConfig } = dependencies;
  const capture = new DoraCapture(prisma, log);

  async function configFor(context: RepoContext, owner?: string, repo?: string): Promise<DoraConfig | undefined> {
    // App deliveries always name their installation; without one there is no
    // token to read the settings or the compare API with (e.g. repository webhooks).
    if (!(context.payload as { installation?: unknown }).installation) return undefined;
    const ownerName = owner ?? context.payload.repository?.owner.login;
    const repoName = repo ?? context.payload.repository?.name;
    if (!ownerName || !repoName) return undefined;
    const result = await repoConfig.get(context.octokit, ownerName, repoName);
    let config: DoraConfig;
    if (result.ok) {
      if (!result.config.dora.enabled) return undefined;
      config = result.config.dora;
    } else {
      log.warn({ repository: `${ownerName}/${repoName}`, problems: result.problems }, `invalid ${result.file}: capturing DORA data with the default settings`);
      config = defaultDoraConfig;
    }
    // The API measures the repository with the settings its facts were captured under.
    await capture.settings(`${ownerName}/${repoName}`, config);
    return config;
  }

  app.on(["deployment.created", "deployment_status.created"], async (context) => {
    const config = await configFor(context);
    if (!config?.deployments.deployment_status) return;
    const facts = context.name === "deployment" ? fromDeploymentEvent(context.payload as never) : fromDeploymentStatusEvent(context.payload as never);
    await capture.deployment(context.octokit, facts);
  });

  app.on("workflow_run.completed", async (context) => {
    const config = await configFor(context);
    if (!config) return;
    const facts = fromWorkflowRunEvent(payloadAs<WorkflowRunEvent>(context), config);
    if (facts) await capture.deployment(context.octokit, facts);
  });

  app.on("release.published", async (context) => {
    const config = await configFor(context);
    if (!config) return;
    const release = fromReleaseEvent(payloadAs<ReleaseEvent>(context), config);
    if (release) await capture.release(context.octokit, release);
  });

  app.on("push", async (context) => {
    const payload = payloadAs<PushEvent>(context);
    // Drop the cached settings before reading them: this push may change them.
    if (touchesRepoConfig(payload)) repoConfig.invalidate(payload.repository.owner.login, payload.repository.name);
    if (!isDefaultBranchPush(payload)) return;
    if (!(await configFor(context as RepoContext))) return;
    await capture.commits(fromPushEvent(payload));
  });

  app.on("pull_request", async (context) => {
    if (!(await configFor(context))) return;
    await capture.pullRequest(context.octokit, fromPullRequestEvent(payloadAs<PullRequestEvent>(context)));
  });

  app.on("issues", async (context) => {
    const config = await configFor(context);
    if (!config) return;
    const issue = fromIssuesEvent(payloadAs<IssuesEvent>(context));
    if (issue) await capture.issue(issue, config);
  });

  const backfillDays = dependencies.installBackfillDays ?? DEFAULT_BACKFILL_DAYS;
  app.on(["installation.created", "installation_repositories.added"], async (context) => {
    if (backfillDays <= 0) return;
    const payload = context.payload;
    const repositories = "repositories_added" in payload ? payload.repositories_added : (payload.repositories ?? []);
    const installationId = payload.installation.id;
    // Enqueued only: src/jobs/backfill-runner.ts runs them outside the delivery
    // (a large installation would outlast the inbox lease). Keyed by
    // installation, so a redelivery, or the same event under another id, adds nothing.
    const queued = await enqueueBackfills(
      prisma,
      repositories.map(({ full_name: repo }) => ({ repo, installationId, days: backfillDays, trigger: `installation:${installationId}` })),
    );
    log.info({ installation: installationId, repositories: repositories.length, queued }, "DORA backfills queued after installation");
  });

  return capture;
}
