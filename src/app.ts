// Wiring only: which webhook events go to which handler. The handlers run
// from the inbox worker (never inside the webhook request), with a Probot
// Context whose Octokit is authenticated as the installation.
import type { Probot } from "probot";
import type { Logger } from "pino";
import { registerCheckHandlers } from "./checks/handlers.js";
import type { CheckServices } from "./github/checks/run-checks.js";
import type { PrismaClient } from "./store/prisma.js";
import { registerDoraCapture } from "./github/dora-handlers.js";
import type { DoraCaptureDependencies } from "./github/dora-handlers.js";

export interface AppDependencies {
  log: Logger;
  prisma: PrismaClient;
  /** DORA capture (deployments, changes, PRs, incidents); absent in apps that do not capture. */
  dora?: Pick<DoraCaptureDependencies, "repoConfig" | "installBackfillDays">;
  /** Repository checks (check runs); absent in apps that do not run them. */
  checks?: CheckServices;
}

export function iactBotApp(dependencies: AppDependencies) {
  return (app: Probot): void => {
    if (dependencies.dora) registerDoraCapture(app, { log: dependencies.log, prisma: dependencies.prisma, ...dependencies.dora });
    if (dependencies.checks) registerCheckHandlers(app, { log: dependencies.log, checks: dependencies.checks });
    app.on(["installation.created", "installation.deleted", "installation_repositories"], async (context) => {
      const repositories =
        "repositories_added" in context.payload
          ? context.payload.repositories_added.map((repository) => repository.full_name)
          : (context.payload.repositories ?? []).map((repository) => repository.full_name);
      dependencies.log.info({ installation: context.payload.installation.id, repositories }, `installation event: ${context.name}.${context.payload.action}`);
    });
  };
}
