// The schemas agree with GitHub's own types (@octokit/webhooks-types): every
// payload GitHub's types allow for a handled event and action is, by type, an
// input the schema accepts. A schema requiring a field GitHub's types call
// optional, or typing one differently, fails `npm run typecheck` here.
import type {
  CheckRunRerequestedEvent,
  CheckSuiteRerequestedEvent,
  DeploymentCreatedEvent,
  DeploymentStatusCreatedEvent,
  InstallationCreatedEvent,
  InstallationDeletedEvent,
  InstallationRepositoriesEvent,
  IssuesEvent,
  Label,
  PullRequestEvent,
  PushEvent,
  ReleasePublishedEvent,
  WorkflowRunCompletedEvent,
} from "@octokit/webhooks-types";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { checkRunPayload } from "../../../src/github/payloads/check-run.js";
import { checkSuitePayload } from "../../../src/github/payloads/check-suite.js";
import { deploymentStatusPayload } from "../../../src/github/payloads/deployment-status.js";
import { deploymentPayload } from "../../../src/github/payloads/deployment.js";
import { installationRepositoriesPayload } from "../../../src/github/payloads/installation-repositories.js";
import { installationPayload } from "../../../src/github/payloads/installation.js";
import { issuesPayload } from "../../../src/github/payloads/issues.js";
import type { ISSUE_ACTIONS_READ } from "../../../src/github/payloads/issues.js";
import { pullRequestPayload } from "../../../src/github/payloads/pull-request.js";
import { pushPayload } from "../../../src/github/payloads/push.js";
import { releasePayload } from "../../../src/github/payloads/release.js";
import { PAYLOAD_RULES } from "../../../src/github/payloads/validate-payload.js";
import { workflowRunPayload } from "../../../src/github/payloads/workflow-run.js";

/** A loose schema's input without its `[key: string]: unknown` (GitHub's interfaces have no index signature). */
type Named<T> = T extends readonly (infer Item)[] ? Named<Item>[] : T extends object ? { [K in keyof T as string extends K ? never : K]: Named<T[K]> } : T;

/** Whether every `Payload` is a `Schema` input; not distributed over unions, so one bad member fails it. */
type Accepts<Schema extends z.ZodType, Payload> = [Payload] extends [Named<z.input<Schema>>] ? true : false;

/** The schema itself when it accepts every `Payload`; a compile error (an argument of type never) otherwise. */
function acceptingEvery<Payload>() {
  return <Schema extends z.ZodType>(schema: Schema & (Accepts<Schema, Payload> extends true ? unknown : never)): z.ZodType => schema;
}

/**
 * The one deliberate difference: GitHub's types call an issue's `labels`
 * optional, but they decide whether it is an incident, and storing "no
 * labels" would overwrite a real incident; src/github/payloads/issues.ts
 * requires them (GitHub sends them with every issue).
 */
type IssuesEventRead = Extract<IssuesEvent, { action: (typeof ISSUE_ACTIONS_READ)[number] }> & { issue: { labels: Label[] } };

const SCHEMAS_CHECKED_AGAINST_GITHUB_TYPES: Record<string, z.ZodType> = {
  pull_request: acceptingEvery<PullRequestEvent>()(pullRequestPayload),
  push: acceptingEvery<PushEvent>()(pushPayload),
  issues: acceptingEvery<IssuesEventRead>()(issuesPayload),
  deployment: acceptingEvery<DeploymentCreatedEvent>()(deploymentPayload),
  deployment_status: acceptingEvery<DeploymentStatusCreatedEvent>()(deploymentStatusPayload),
  workflow_run: acceptingEvery<WorkflowRunCompletedEvent>()(workflowRunPayload),
  release: acceptingEvery<ReleasePublishedEvent>()(releasePayload),
  check_run: acceptingEvery<CheckRunRerequestedEvent>()(checkRunPayload),
  check_suite: acceptingEvery<CheckSuiteRerequestedEvent>()(checkSuitePayload),
  installation: acceptingEvery<InstallationCreatedEvent | InstallationDeletedEvent>()(installationPayload),
  installation_repositories: acceptingEvery<InstallationRepositoriesEvent>()(installationRepositoriesPayload),
};

describe("payload schemas and GitHub's types", () => {
  it.each(Object.entries(PAYLOAD_RULES))("the worker validates %s with the schema checked against GitHub's types", (event, rule) => {
    expect(rule.schema).toBe(SCHEMAS_CHECKED_AGAINST_GITHUB_TYPES[event]);
  });
});
