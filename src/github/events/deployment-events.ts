// deployment, deployment_status, workflow_run and release -> deployment facts.
// Each mapper has a webhook and a REST variant returning the same shape.
import type { DeploymentEvent, DeploymentStatusEvent, ReleaseEvent, WorkflowRunEvent } from "@octokit/webhooks-types";
import type { components } from "@octokit/openapi-types";
import type { DoraConfig } from "../../config/dora-config.js";
import { dateOf, environmentName } from "./payload-fields.js";
import type { DeploymentFacts, DeploymentObservation, DeploymentStatusObservation } from "../../store/capture-facts.js";

type RestDeployment = components["schemas"]["deployment"];
type RestDeploymentStatus = components["schemas"]["deployment-status"];
type RestWorkflowRun = components["schemas"]["workflow-run"];
type RestRelease = components["schemas"]["release"];

/** The fields of a deployment that webhooks and REST share. */
interface DeploymentShape {
  id: number | bigint;
  sha: string;
  ref: string;
  environment: string;
  created_at: string;
}

export function deploymentObservation(repo: string, installationId: number | undefined, deployment: DeploymentShape): DeploymentObservation {
  return {
    repo,
    ...(installationId === undefined ? {} : { installationId }),
    source: "deployment",
    sourceKey: `deployment:${deployment.id}`,
    environment: environmentName(deployment.environment),
    sha: deployment.sha.toLowerCase(),
    ref: deployment.ref,
    createdAt: dateOf(deployment.created_at),
  };
}

export function deploymentStatusObservation(status: { id: number | bigint; state: string; created_at: string }): DeploymentStatusObservation {
  return { statusKey: `status:${status.id}`, state: status.state, createdAt: dateOf(status.created_at) };
}

/** `deployment.created`: the deployment alone (its statuses come on their own). */
export function fromDeploymentEvent(payload: DeploymentEvent): DeploymentFacts {
  return { deployment: deploymentObservation(payload.repository.full_name, payload.installation?.id, payload.deployment), statuses: [] };
}

/** `deployment_status.created`: carries its deployment, so it may arrive first. */
export function fromDeploymentStatusEvent(payload: DeploymentStatusEvent): DeploymentFacts {
  return {
    deployment: deploymentObservation(payload.repository.full_name, payload.installation?.id, payload.deployment),
    statuses: [deploymentStatusObservation(payload.deployment_status)],
  };
}

/** Backfill: one deployment with every status REST lists for it. */
export function fromRestDeployment(repo: string, installationId: number | undefined, deployment: RestDeployment, statuses: RestDeploymentStatus[]): DeploymentFacts {
  return { deployment: deploymentObservation(repo, installationId, deployment), statuses: statuses.map(deploymentStatusObservation) };
}

// --- workflow runs -----------------------------------------------------------

/** The fields of a workflow run that webhooks and REST share. */
interface WorkflowRunShape {
  id: number | bigint;
  name?: string | null;
  path?: string;
  head_sha: string;
  head_branch: string | null;
  status: string | null;
  conclusion: string | null;
  run_attempt?: number;
  created_at: string;
  updated_at: string;
}

/** Whether a run is of `workflow`, given as the workflow's name (any case) or its file path. */
export function isRunOfWorkflow(run: { name?: string | null; path?: string }, workflow: string): boolean {
  const byName = run.name !== undefined && run.name !== null && run.name.toLowerCase() === workflow.toLowerCase();
  const byPath = run.path !== undefined && (run.path === workflow || run.path.split("@")[0] === workflow);
  return byName || byPath;
}

/** The configured workflow source a run belongs to, if any (by name or by file path). */
export function matchWorkflow(config: DoraConfig, run: WorkflowRunShape): DoraConfig["deployments"]["workflows"][number] | undefined {
  return config.deployments.workflows.find((source) => {
    if (!isRunOfWorkflow(run, source.workflow)) return false;
    return source.branches === undefined || (run.head_branch !== null && source.branches.includes(run.head_branch));
  });
}

const RUN_CONCLUSION_STATE: Record<string, string> = {
  success: "success",
  failure: "failure",
  timed_out: "failure",
  startup_failure: "error",
  cancelled: "cancelled",
  skipped: "cancelled",
  neutral: "cancelled",
  action_required: "pending",
  stale: "cancelled",
};

/** A completed run of a configured deploy workflow; undefined for other runs. */
export function fromWorkflowRun(repo: string, installationId: number | undefined, config: DoraConfig, run: WorkflowRunShape): DeploymentFacts | undefined {
  if (run.status !== "completed" || run.conclusion === null) return undefined;
  const source = matchWorkflow(config, run);
  if (!source) return undefined;
  return {
    deployment: {
      repo,
      ...(installationId === undefined ? {} : { installationId }),
      source: "workflow_run",
      sourceKey: `workflow_run:${run.id}`,
      environment: environmentName(source.environment),
      sha: run.head_sha.toLowerCase(),
      ...(run.head_branch ? { ref: run.head_branch } : {}),
      createdAt: dateOf(run.created_at),
    },
    // A re-run is a new attempt of the same run; a completed run's updated_at is its completion.
    statuses: [{ statusKey: `attempt:${run.run_attempt ?? 1}`, state: RUN_CONCLUSION_STATE[run.conclusion] ?? run.conclusion, createdAt: dateOf(run.updated_at) }],
  };
}

export function fromWorkflowRunEvent(payload: WorkflowRunEvent, config: DoraConfig): DeploymentFacts | undefined {
  if (payload.action !== "completed") return undefined;
  return fromWorkflowRun(payload.repository.full_name, payload.installation?.id, config, payload.workflow_run);
}

export function fromRestWorkflowRun(repo: string, installationId: number | undefined, config: DoraConfig, run: RestWorkflowRun): DeploymentFacts | undefined {
  return fromWorkflowRun(repo, installationId, config, run);
}

// --- releases ----------------------------------------------------------------

/** A published release before its tag is resolved to a commit (that needs the API). */
export interface ReleaseObservation {
  repo: string;
  installationId?: number;
  releaseId: number;
  tagName: string;
  environment: string;
  createdAt: Date;
  publishedAt: Date;
}

interface ReleaseShape {
  id: number;
  tag_name: string;
  draft: boolean;
  created_at: string | null;
  published_at: string | null;
}

export function fromRelease(repo: string, installationId: number | undefined, config: DoraConfig, release: ReleaseShape): ReleaseObservation | undefined {
  const releases = config.deployments.releases;
  if (releases === false || release.draft || !release.published_at) return undefined;
  const publishedAt = dateOf(release.published_at);
  return {
    repo,
    ...(installationId === undefined ? {} : { installationId }),
    releaseId: release.id,
    tagName: release.tag_name,
    environment: environmentName(releases.environment),
    createdAt: dateOf(release.created_at) ?? publishedAt,
    publishedAt,
  };
}

export function fromReleaseEvent(payload: ReleaseEvent, config: DoraConfig): ReleaseObservation | undefined {
  if (payload.action !== "published") return undefined;
  return fromRelease(payload.repository.full_name, payload.installation?.id, config, payload.release);
}

export function fromRestRelease(repo: string, installationId: number | undefined, config: DoraConfig, release: RestRelease): ReleaseObservation | undefined {
  return fromRelease(repo, installationId, config, release);
}

/** A release with its tag's commit: a deployment published at publication time. */
export function releaseDeployment(release: ReleaseObservation, sha: string): DeploymentFacts {
  return {
    deployment: {
      repo: release.repo,
      ...(release.installationId === undefined ? {} : { installationId: release.installationId }),
      source: "release",
      sourceKey: `release:${release.releaseId}`,
      environment: release.environment,
      sha: sha.toLowerCase(),
      ref: release.tagName,
      createdAt: release.createdAt,
    },
    statuses: [{ statusKey: "published", state: "success", createdAt: release.publishedAt }],
  };
}
