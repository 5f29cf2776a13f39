// check_run.rerequested and check_suite.rerequested: someone pressed
// "Re-run" on one of our runs or on our suite; new runs on the same head sha
// (annotations cannot be removed from the old ones).
import type { Context } from "probot";
import { CHECK_NAMES, checkNameOf } from "../../checks/check-output.js";
import { isOurApp, runChecksOn } from "./check-request.js";
import type { HandlerDependencies } from "./dependencies.js";

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  if (!checks) return;
  const { check_run: checkRun, repository } = context.payload;
  const check = checkNameOf(checkRun.name);
  if (!check || !isOurApp(checkRun.app, checks.appId)) return;
  await runChecksOn(context, checks, log, { headSha: checkRun.head_sha, repository: repository, checks: [check], trigger: "check_run.rerequested" });
}

export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  if (!checks) return;
  const { check_suite: checkSuite, repository } = context.payload;
  if (!isOurApp(checkSuite.app, checks.appId)) return;
  await runChecksOn(context, checks, log, { headSha: checkSuite.head_sha, repository: repository, checks: CHECK_NAMES, trigger: "check_suite.rerequested" });
}
