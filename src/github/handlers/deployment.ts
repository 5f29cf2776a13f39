// deployment.created and deployment_status.created: a deployment of the
// GitHub Deployments API, captured when the repository's `dora.deployments`
// settings take them (deployment_status: true).
import type { DeploymentEvent, DeploymentStatusEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import type { DeploymentFacts } from "../../store/capture-facts.js";
import { fromDeploymentEvent, fromDeploymentStatusEvent } from "../events/deployment-events.js";
import { payloadAs, withDoraSettings, type RepoContext } from "./capture-settings.js";
import type { HandlerDependencies } from "./dependencies.js";

export function onDeployment(context: Context<"deployment.created">, dependencies: HandlerDependencies): Promise<void> {
  return captureApiDeployment(context, dependencies, fromDeploymentEvent(payloadAs<DeploymentEvent>(context)));
}

export function onDeploymentStatus(context: Context<"deployment_status.created">, dependencies: HandlerDependencies): Promise<void> {
  return captureApiDeployment(context, dependencies, fromDeploymentStatusEvent(payloadAs<DeploymentStatusEvent>(context)));
}

function captureApiDeployment(context: RepoContext, dependencies: HandlerDependencies, facts: DeploymentFacts): Promise<void> {
  return withDoraSettings(context, dependencies, async (capture, config) => {
    if (config.deployments.deployment_status) await capture.writer.deployment(context.octokit, facts);
  });
}
