// `workflow_run.completed`: a run of a configured deploy workflow is a
// deployment (matched by workflow name or file path, optionally by branch),
// and a run's artifacts feed the coverage gate (iact/coverage).
import { z } from "zod";
import { atMost, gitSha, githubId, installationReference, repository, timestamp } from "./fields.js";

export const workflowRunPayload = z.looseObject({
  action: z.literal("completed"),
  installation: installationReference,
  repository,
  workflow_run: z.looseObject({
    id: githubId,
    // Optional, each: a run is matched by its name or by its path.
    name: z.string().nullish(),
    path: z.string().optional(),
    head_sha: gitSha,
    // Optional: without it a source limited to branches does not match, and the deployment has no ref.
    head_branch: z.string().refine(...atMost(255)).nullish(),
    status: z.string().nullable(),
    // Required (null until completed): the deployment's outcome.
    conclusion: z.string().nullable(),
    // Optional: a first attempt when absent.
    run_attempt: z.number().int().positive().optional(),
    created_at: timestamp,
    // A completed run's updated_at is its completion: the deployment status's time.
    updated_at: timestamp,
    // Optional, each: the coverage gate's links and its pull request (empty for a fork's pull request).
    run_number: z.number().int().positive().optional(),
    html_url: z.string().optional(),
    pull_requests: z.array(z.looseObject({ number: githubId })).optional(),
  }),
});
