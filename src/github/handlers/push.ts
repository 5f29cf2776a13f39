// push: one handler for every feature, so that a push changing
// .github/iact.yml drops the cached settings exactly once, before capture and
// the checks read them (each feature used to invalidate on its own, and the
// cache had to recognise the second invalidation of the same push). Then:
//   - DORA capture: the default branch's commits (lead time starts there);
//   - checks: the pushed commit of the default branch.
import type { PushEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import { CHECK_NAMES } from "../../checks/check-output.js";
import { fromPushEvent, isDefaultBranchPush, touchesRepoConfig } from "../events/push-events.js";
import { payloadAs, withDoraSettings } from "./capture-settings.js";
import { runChecksOn } from "./check-request.js";
import type { HandlerDependencies } from "./dependencies.js";
import { settleAll } from "./settle-all.js";

const DELETED_SHA = /^0+$/;

export async function onPush(context: Context<"push">, dependencies: HandlerDependencies): Promise<void> {
  const payload = payloadAs<PushEvent>(context);
  if (touchesRepoConfig(payload)) dependencies.repoConfig.invalidate(payload.repository.owner.login, payload.repository.name);
  await settleAll([captureCommits(context, dependencies), checkPushedCommit(context, dependencies)]);
}

async function captureCommits(context: Context<"push">, dependencies: HandlerDependencies): Promise<void> {
  const payload = payloadAs<PushEvent>(context);
  if (!isDefaultBranchPush(payload)) return;
  await withDoraSettings(context, dependencies, (capture) => capture.writer.commits(fromPushEvent(payload)));
}

async function checkPushedCommit(context: Context<"push">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  const { payload } = context;
  if (!checks) return;
  if (payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
  if (payload.deleted || DELETED_SHA.test(payload.after)) return;
  await runChecksOn(context, checks, log, { headSha: payload.after, repository: payload.repository, checks: CHECK_NAMES, trigger: "push" });
}
