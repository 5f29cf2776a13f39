// Which webhook payloads are checked before any handler sees them, and what
// a refusal says. Only the event/action pairs some handler reads are listed:
// anything else passes through untouched (no handler reads it, so nothing in
// it can be wrong for us).
import type { z } from "zod";
import { checkRunPayload } from "./check-run.js";
import { checkSuitePayload } from "./check-suite.js";
import { deploymentStatusPayload } from "./deployment-status.js";
import { deploymentPayload } from "./deployment.js";
import { installationRepositoriesPayload } from "./installation-repositories.js";
import { installationPayload } from "./installation.js";
import { ISSUE_ACTIONS_READ, issuesPayload } from "./issues.js";
import { pullRequestPayload } from "./pull-request.js";
import { pushPayload } from "./push.js";
import { releasePayload } from "./release.js";
import { workflowRunPayload } from "./workflow-run.js";

interface PayloadRule {
  /** The actions whose payload a handler reads; undefined: every action (or an event without actions). */
  actions?: readonly string[];
  schema: z.ZodType<Record<string, unknown>>;
}

export const PAYLOAD_RULES: Readonly<Record<string, PayloadRule>> = {
  pull_request: { schema: pullRequestPayload },
  push: { schema: pushPayload },
  issues: { actions: ISSUE_ACTIONS_READ, schema: issuesPayload },
  deployment: { actions: ["created"], schema: deploymentPayload },
  deployment_status: { actions: ["created"], schema: deploymentStatusPayload },
  workflow_run: { actions: ["completed"], schema: workflowRunPayload },
  release: { actions: ["published"], schema: releasePayload },
  check_run: { actions: ["rerequested"], schema: checkRunPayload },
  check_suite: { actions: ["rerequested"], schema: checkSuitePayload },
  installation: { actions: ["created", "deleted"], schema: installationPayload },
  installation_repositories: { schema: installationRepositoriesPayload },
};

/** One reason a payload was refused: where (`pull_request.updated_at`, `commits[0].id`) and what. */
export interface PayloadIssue {
  path: string;
  message: string;
}

export type PayloadValidation =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; issues: PayloadIssue[] };

/**
 * Parses `payload` with the schema of its event and action, if any. The
 * parsed payload keeps every field GitHub sent (the schemas are loose).
 */
export function validatePayload(event: string, payload: Record<string, unknown>): PayloadValidation {
  const rule = PAYLOAD_RULES[event];
  const action = typeof payload.action === "string" ? payload.action : undefined;
  if (!rule || (rule.actions && (action === undefined || !rule.actions.includes(action)))) return { ok: true, payload };
  const result = rule.schema.safeParse(payload, { error: describeIssue });
  if (result.success) return { ok: true, payload: result.data };
  return { ok: false, issues: result.error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message })) };
}

/** `pull_request.updated_at: is missing (expected string)`, one issue per line. */
export function describeRejection(issues: readonly PayloadIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n");
}

/** Says "is missing" or "is null" rather than zod's "expected string, received undefined". */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined) return `is missing (expected ${issue.expected})`;
  if (issue.input === null) return `is null (expected ${issue.expected})`;
  return `expected ${issue.expected}, got ${Array.isArray(issue.input) ? "array" : typeof issue.input}`;
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text || "(payload)";
}
