// workflow_run.completed: a deployment when the run's workflow (and branch)
// is one the repository's `dora.deployments.workflows` names.
import type { WorkflowRunEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import { fromWorkflowRunEvent } from "../events/deployment-events.js";
import { payloadAs, withDoraSettings } from "./capture-settings.js";
import type { HandlerDependencies } from "./dependencies.js";

export function onWorkflowRun(context: Context<"workflow_run.completed">, dependencies: HandlerDependencies): Promise<void> {
  return withDoraSettings(context, dependencies, async (capture, config) => {
    const facts = fromWorkflowRunEvent(payloadAs<WorkflowRunEvent>(context), config);
    if (facts) await capture.writer.deployment(context.octokit, facts);
  });
}
