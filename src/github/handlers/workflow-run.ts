// workflow_run.completed, two features side by side (settle-all.ts: a
// failure of one never loses the other):
//   - DORA capture: a deployment when the run's workflow (and branch) is one
//     the repository's `dora.deployments.workflows` names;
//   - the coverage gate: the run's coverage and test-result artifacts become
//     the `iact/coverage` check run on its head sha (checks/coverage-gate.ts).
import type { WorkflowRunEvent } from "@octokit/webhooks-types";
import type { Context } from "probot";
import { currentDeliveryFields } from "../../logs/delivery-context.js";
import { runCoverageGate } from "../checks/coverage-gate.js";
import { fromWorkflowRunEvent } from "../events/deployment-events.js";
import { repositoryWebUrl } from "../repository-web-url.js";
import { payloadAs, withDoraSettings } from "./capture-settings.js";
import type { HandlerDependencies } from "./dependencies.js";
import { settleAll } from "./settle-all.js";

export async function onWorkflowRun(context: Context<"workflow_run.completed">, dependencies: HandlerDependencies): Promise<void> {
  await settleAll([captureDeployment(context, dependencies), checkCoverage(context, dependencies)]);
}

function captureDeployment(context: Context<"workflow_run.completed">, dependencies: HandlerDependencies): Promise<void> {
  return withDoraSettings(context, dependencies, async (capture, config) => {
    const facts = fromWorkflowRunEvent(payloadAs<WorkflowRunEvent>(context), config);
    if (facts) await capture.writer.deployment(context.octokit, facts);
  });
}

async function checkCoverage(context: Context<"workflow_run.completed">, dependencies: HandlerDependencies): Promise<void> {
  const { checks, log } = dependencies;
  const payload = payloadAs<WorkflowRunEvent>(context);
  // Without an installation there is no token to read artifacts with (a repository webhook).
  if (!checks || !payload.installation) return;
  const { owner, repo } = context.repo();
  const run = payload.workflow_run;
  const attempt = currentDeliveryFields()?.attempt;
  await runCoverageGate(
    context.octokit,
    {
      owner,
      repo,
      repositoryUrl: repositoryWebUrl(payload.repository, context.octokit.request.endpoint.DEFAULTS.baseUrl),
      run: {
        id: run.id,
        name: run.name,
        path: run.path,
        headSha: run.head_sha,
        runNumber: run.run_number,
        htmlUrl: run.html_url,
        pullRequest: run.pull_requests?.[0]?.number,
      },
      deliveryId: context.id,
      ...(attempt !== undefined ? { attempt } : {}),
      sender: payload.sender?.login,
    },
    checks,
    log,
  );
}
