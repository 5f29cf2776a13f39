// pull_request: the checks run on the PR's head when it is opened, pushed to
// or reopened (see check-request.ts for why on the base repository). DORA
// capture of every action (titles, labels, merges for lead time) happens
// before, for the whole claimed batch (src/github/delivery-pipeline.ts).
import type { Context } from "probot";
import { CHECK_NAMES } from "../../checks/check-output.js";
import { runChecksOn } from "./check-request.js";
import type { HandlerDependencies } from "./dependencies.js";

const CHECKED_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

/** A pull_request action the checks run on. */
export function pullRequestIsChecked(payload: { action?: unknown }): boolean {
  return typeof payload.action === "string" && CHECKED_ACTIONS.has(payload.action);
}

export async function onPullRequest(context: Context<"pull_request">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  const { action, pull_request: pullRequest, repository } = context.payload;
  if (!checks || !CHECKED_ACTIONS.has(action)) return;
  await runChecksOn(context, checks, log, { headSha: pullRequest.head.sha, repository: repository, checks: CHECK_NAMES, trigger: `pull_request.${action}` });
}
