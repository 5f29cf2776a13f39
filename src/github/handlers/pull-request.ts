// pull_request: DORA capture keeps every action (titles, labels, merges for
// lead time); the checks run on the PR's head when it is opened, pushed to
// or reopened (see check-request.ts for why on the base repository).
import type { PullRequestEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import { CHECK_NAMES } from "../../checks/check-output.js";
import { fromPullRequestEvent } from "../events/pull-request-events.js";
import { payloadAs, withDoraSettings } from "./capture-settings.js";
import { runChecksOn } from "./check-request.js";
import type { HandlerDependencies } from "./dependencies.js";
import { settleAll } from "./settle-all.js";

const CHECKED_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

export async function onPullRequest(context: Context<"pull_request">, dependencies: HandlerDependencies): Promise<void> {
  await settleAll([capturePullRequest(context, dependencies), checkPullRequest(context, dependencies)]);
}

async function capturePullRequest(context: Context<"pull_request">, dependencies: HandlerDependencies): Promise<void> {
  const payload = payloadAs<PullRequestEvent>(context);
  const installationId = payload.installation?.id;
  if (installationId === undefined) return;
  await withDoraSettings(context, dependencies, async (capture) =>
    capture.writer.pullRequest(await capture.octokitFor(installationId), fromPullRequestEvent(payload)),
  );
}

async function checkPullRequest(context: Context<"pull_request">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  const { action, pull_request: pullRequest, repository } = context.payload;
  if (!checks || !CHECKED_ACTIONS.has(action)) return;
  await runChecksOn(context, checks, log, { headSha: pullRequest.head.sha, repository: repository, checks: CHECK_NAMES, trigger: `pull_request.${action}` });
}
