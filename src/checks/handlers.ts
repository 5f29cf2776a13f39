// Which webhooks run the repository checks, and on which commit:
//   - pull_request opened/synchronize/reopened: the PR's head sha, on the base
//     repository. Runs are created there, and the files are read there too:
//     GitHub keeps a pull request's head commits in the base repository
//     (refs/pull/N/head), and the installation token is scoped to the base
//     repository, so a private fork's own API would answer 404.
//   - push to the default branch: the pushed sha (`after`); a push touching
//     .github/iact.yml first drops the cached configuration.
//   - check_run.rerequested (one of our runs) / check_suite.rerequested (our
//     suite): new runs on the same head sha (annotations can't be removed).
import type { Logger } from "pino";
import type { Context, Probot } from "probot";
import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { CHECK_NAMES, checkNameOf } from "./check-output.js";
import { runRepositoryChecks, type CheckServices } from "../github/checks/run-checks.js";
import type { CheckName } from "./types.js";

const DELETED_SHA = /^0+$/;

export interface CheckHandlerDependencies {
  log: Logger;
  checks: CheckServices;
}

function isOurApp(app: { id?: number | null } | null | undefined, appId: number | undefined): boolean {
  // Without a known app id, trust GitHub: re-run events are only sent to the app that owns the run.
  return appId === undefined || app?.id === appId;
}

/** Whether a push's commits add, change or remove .github/iact.yml. */
export function pushTouchesRepoConfig(commits: ReadonlyArray<{ added?: string[]; modified?: string[]; removed?: string[] }>): boolean {
  return commits.some((commit) =>
    [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].includes(REPO_CONFIG_PATH),
  );
}

export function registerCheckHandlers(app: Probot, dependencies: CheckHandlerDependencies): void {
  const { checks: services, log } = dependencies;

  const run = (context: Context, headSha: string, repositoryUrl: string, checks: readonly CheckName[], trigger: string) => {
    const { owner, repo } = context.repo();
    return runRepositoryChecks(context.octokit, { owner, repo, headSha, repositoryUrl, checks, trigger }, services, log);
  };

  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const { pull_request: pullRequest, repository } = context.payload;
    await run(context, pullRequest.head.sha, repository.html_url, CHECK_NAMES, `pull_request.${context.payload.action}`);
  });

  app.on("push", async (context) => {
    const { payload } = context;
    const { owner, repo } = context.repo();
    if (payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
    if (pushTouchesRepoConfig(payload.commits)) services.repoConfig.invalidate(owner, repo);
    if (payload.deleted || DELETED_SHA.test(payload.after)) return;
    await run(context, payload.after, payload.repository.html_url, CHECK_NAMES, "push");
  });

  app.on("check_run.rerequested", async (context) => {
    const { check_run: checkRun, repository } = context.payload;
    const check = checkNameOf(checkRun.name);
    if (!check || !isOurApp(checkRun.app, services.appId)) return;
    await run(context, checkRun.head_sha, repository.html_url, [check], "check_run.rerequested");
  });

  app.on("check_suite.rerequested", async (context) => {
    const { check_suite: checkSuite, repository } = context.payload;
    if (!isOurApp(checkSuite.app, services.appId)) return;
    await run(context, checkSuite.head_sha, repository.html_url, CHECK_NAMES, "check_suite.rerequested");
  });
}
