// Which webhooks run the repository checks, and on which commit:
//   - pull_request opened/synchronize/reopened: the PR's head sha, on the base
//     repository. Runs are created there, and the files are read there too:
//     GitHub keeps a pull request's head commits in the base repository
//     (refs/pull/N/head), and the installation token is scoped to the base
//     repository, so a private fork's own API would answer 404.
//   - push to the default branch: the pushed sha (`after`); a push touching
//     .github/iact.yml first drops the cached configuration (push.ts).
//   - check_run.rerequested (one of our runs) / check_suite.rerequested (our
//     suite): new runs on the same head sha (annotations can't be removed).
// This module is the one call the handlers make to start them.
import type { Logger } from "pino";
import type { Context } from "probot";
import type { CheckName } from "../../checks/types.js";
import { currentDeliveryFields } from "../../logs/delivery-context.js";
import { runRepositoryChecks, type CheckRunOutcome, type CheckServices } from "../checks/run-checks.js";
import { repositoryWebUrl, type RepositoryAddress } from "../repository-web-url.js";

export interface CheckRequestOn {
  headSha: string;
  /** The payload's repository: links use its html_url, else the API host's web root and its full name (html_url is optional in a payload). */
  repository: RepositoryAddress;
  checks: readonly CheckName[];
  /** Why we run (for logs): "pull_request.opened", "push", "check_run.rerequested"... */
  trigger: string;
}

/** Runs `checks` on the delivery's repository at `headSha`, and records what was published in the audit log. */
export async function runChecksOn(context: Context, services: CheckServices, log: Logger, request: CheckRequestOn): Promise<CheckRunOutcome[]> {
  const { owner, repo } = context.repo();
  const { repository, ...rest } = request;
  const repositoryUrl = repositoryWebUrl(repository, context.octokit.request.endpoint.DEFAULTS.baseUrl);
  const attempt = currentDeliveryFields()?.attempt;
  const outcomes = await runRepositoryChecks(context.octokit, { owner, repo, repositoryUrl, deliveryId: context.id, ...(attempt !== undefined ? { attempt } : {}), ...rest }, services, log);
  await auditPublished(context, services, log, request, outcomes);
  return outcomes;
}

/**
 * One entry for the runs a delivery published, and one more when they only
 * report an invalid configuration. An audit log that is down costs the
 * entry, never the check runs GitHub already shows.
 */
async function auditPublished(context: Context, services: CheckServices, log: Logger, request: CheckRequestOn, outcomes: readonly CheckRunOutcome[]): Promise<void> {
  if (!services.audit || outcomes.length === 0) return;
  const { owner, repo } = context.repo();
  const sender = (context.payload as { sender?: { login?: unknown } }).sender?.login;
  const base = { actor: typeof sender === "string" ? `github:${sender}` : "github", requestId: context.id, target: `${owner}/${repo}@${request.headSha}` };
  const runs = outcomes.map(({ check, checkRunId, conclusion, findings }) => ({ check, check_run_id: checkRunId, conclusion, findings }));
  const invalidConfig = outcomes.find((outcome) => outcome.invalidConfig)?.invalidConfig;
  try {
    await services.audit({ ...base, action: "check_runs.published", details: { trigger: request.trigger, runs } });
    if (invalidConfig) await services.audit({ ...base, action: "configuration.rejected", details: { file: invalidConfig, trigger: request.trigger } });
  } catch (error) {
    log.warn({ err: error }, "check runs published, but their audit log entry could not be written");
  }
}

export function isOurApp(app: { id?: number | null } | null | undefined, appId: number | undefined): boolean {
  // Without a known app id, trust GitHub: re-run events are only sent to the app that owns the run.
  return appId === undefined || app?.id === appId;
}
