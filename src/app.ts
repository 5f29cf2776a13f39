// Wiring only: which webhook event goes to which handler (src/github/handlers/,
// one file per event), and the objects they share. The handlers run from the
// inbox worker (never inside the webhook request), with a Probot Context
// whose Octokit is authenticated as the installation.
import type { Probot } from "probot";
import type { Logger } from "pino";
import { DEFAULT_BACKFILL_DAYS } from "./github/backfill.js";
import type { CheckServices } from "./github/checks/run-checks.js";
import { DoraCapture } from "./github/dora-capture.js";
import { onCheckRunRerequested, onCheckSuiteRerequested } from "./github/handlers/check-rerequested.js";
import type { HandlerDependencies } from "./github/handlers/dependencies.js";
import { onInstallation, onInstallationRepositories } from "./github/handlers/installation.js";
import { onIssues } from "./github/handlers/issues.js";
import { onPullRequest } from "./github/handlers/pull-request.js";
import { onPush } from "./github/handlers/push.js";
import { onRelease } from "./github/handlers/release.js";
import { onWorkflowRun } from "./github/handlers/workflow-run.js";
import type { RepoConfigCache } from "./github/repo-config-cache.js";
import type { PrismaClient } from "./store/prisma.js";

export interface AppDependencies {
  log: Logger;
  prisma: PrismaClient;
  /** .github/iact.yml per repository, shared by every feature. */
  repoConfig: Pick<RepoConfigCache, "get" | "invalidate">;
  /** DORA capture (deployments, changes, PRs, incidents); absent in apps that do not capture. */
  dora?: {
    /** Days backfilled when the app is installed on a repository; 0 turns it off. Default 90. */
    installBackfillDays?: number;
    /** The writer, when the caller shares it with the worker's batch capture (one settings cache); else the app makes its own. */
    writer?: DoraCapture;
  };
  /** Repository checks (check runs); absent in apps that do not run them. */
  checks?: CheckServices;
}

export function iactBotApp(dependencies: AppDependencies) {
  const { log, prisma, repoConfig, dora, checks } = dependencies;
  return (app: Probot): void => {
    const capture = dora && {
      writer: dora.writer ?? new DoraCapture(prisma, log),
      prisma,
      installBackfillDays: dora.installBackfillDays ?? DEFAULT_BACKFILL_DAYS,
      octokitFor: (installationId: number) => app.auth(installationId),
    };
    const handlers: HandlerDependencies = { log, repoConfig, ...(capture ? { capture } : {}), ...(checks ? { checks } : {}) };
    app.on("workflow_run.completed", (context) => onWorkflowRun(context, handlers));
    app.on("release.published", (context) => onRelease(context, handlers));
    app.on("push", (context) => onPush(context, handlers));
    app.on("pull_request", (context) => onPullRequest(context, handlers));
    app.on("issues", (context) => onIssues(context, handlers));
    app.on(["installation.created", "installation.deleted"], (context) => onInstallation(context, handlers));
    app.on("installation_repositories", (context) => onInstallationRepositories(context, handlers));
    app.on("check_run.rerequested", (context) => onCheckRunRerequested(context, handlers));
    app.on("check_suite.rerequested", (context) => onCheckSuiteRerequested(context, handlers));
  };
}
