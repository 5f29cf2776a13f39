// push: the checks of the default branch's pushed commit. A push's DORA
// capture (the default branch's commits) and the drop of cached settings when
// it changes .github/iact.yml happen before, for the whole claimed batch
// (src/github/delivery-pipeline.ts).
import type { Context } from "probot";
import { CHECK_NAMES } from "../../checks/check-output.js";
import { runChecksOn } from "./check-request.js";
import type { HandlerDependencies } from "./dependencies.js";

const DELETED_SHA = /^0+$/;

/** A push whose commit the checks run on: to the default branch, not a deletion. */
export function pushIsChecked(payload: { ref: string; deleted?: boolean; after: string; repository: { default_branch?: string } }): boolean {
  return payload.ref === `refs/heads/${payload.repository.default_branch}` && !payload.deleted && !DELETED_SHA.test(payload.after);
}

export async function onPush(context: Context<"push">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  const { payload } = context;
  if (!checks || !pushIsChecked(payload)) return;
  await runChecksOn(context, checks, log, { headSha: payload.after, repository: payload.repository, checks: CHECK_NAMES, trigger: "push" });
}
