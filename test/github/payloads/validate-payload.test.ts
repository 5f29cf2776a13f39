// The webhook payload schemas, table by table: GitHub's published examples of
// every handled event pass untouched; removing a field a feature needs gives
// its exact path; removing a field that only degrades a feature passes.
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { describeRejection, PAYLOAD_RULES, validatePayload } from "../../../src/github/payloads/validate-payload.js";
import { exampleFor } from "../../support/webhook-examples.js";

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples/api.github.com/index.json") as WebhookDefinition[];

type Json = Record<string, unknown>;

/** Every published example whose event and action some handler reads. */
function handledExamples(): Array<[string, string, Json]> {
  const examples: Array<[string, string, Json]> = [];
  for (const [event, rule] of Object.entries(PAYLOAD_RULES)) {
    const definition = definitions.find((candidate) => candidate.name === event);
    for (const example of definition?.examples ?? []) {
      const action = (example as { action?: string }).action;
      if (rule.actions && !rule.actions.includes(action ?? "")) continue;
      examples.push([event, action ?? "-", example as Json]);
    }
  }
  return examples;
}

function example(event: string, action?: string): Json {
  return exampleFor(event as never, action) as unknown as Json;
}

/** The object holding the last segment of `path`, created on the way. */
function parentOf(payload: Json, path: string): [Json, string] {
  const segments = path.split(".");
  let current = payload;
  for (const segment of segments.slice(0, -1)) {
    current[segment] ??= {};
    current = current[segment] as Json;
  }
  return [current, segments.at(-1)!];
}

function without(payload: Json, path: string): Json {
  const [parent, key] = parentOf(payload, path);
  delete parent[key];
  return payload;
}

function withValue(payload: Json, path: string, value: unknown): Json {
  const [parent, key] = parentOf(payload, path);
  parent[key] = value;
  return payload;
}

/** A push to the default branch with one commit, as GitHub sends it. */
function pushWithCommit(): Json {
  const payload = example("push");
  const commit = definitions.find((candidate) => candidate.name === "push")!.examples.map((candidate) => candidate as Json).find((candidate) => (candidate.commits as unknown[]).length > 0)!;
  return { ...payload, commits: structuredClone(commit.commits), head_commit: structuredClone(commit.head_commit) };
}

describe("webhook payload schemas", () => {
  const examples = handledExamples();

  it("cover every handled event with at least one published example", () => {
    const covered = new Set(examples.map(([event]) => event));
    expect([...covered].sort()).toEqual(Object.keys(PAYLOAD_RULES).sort());
  });

  it.each(examples)("accept GitHub's example of %s.%s and keep every field", (event, _action, payload) => {
    const result = validatePayload(event, structuredClone(payload));
    expect(result).toEqual({ ok: true, payload });
  });

  it.each([
    ["pull_request", "opened", "pull_request.updated_at", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.created_at", "is missing (expected string)"],
    ["pull_request", "closed", "pull_request.merged_at", "is missing (expected string)"],
    ["pull_request", "closed", "pull_request.closed_at", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.head.sha", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.head.ref", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.base.ref", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.number", "is missing (expected number)"],
    ["pull_request", "opened", "pull_request.title", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.state", "is missing (expected string)"],
    ["pull_request", "opened", "pull_request.labels", "is missing (expected array)"],
    ["pull_request", "opened", "pull_request", "is missing (expected object)"],
    ["pull_request", "opened", "repository.full_name", "is missing (expected string)"],
    ["pull_request", "opened", "repository.name", "is missing (expected string)"],
    ["pull_request", "opened", "repository.owner.login", "is missing (expected string)"],
    ["pull_request", "opened", "repository", "is missing (expected object)"],
    ["push", undefined, "ref", "is missing (expected string)"],
    ["push", undefined, "after", "is missing (expected string)"],
    ["push", undefined, "commits", "is missing (expected array)"],
    ["push", undefined, "repository.default_branch", "is missing (expected string)"],
    ["issues", "opened", "issue.updated_at", "is missing (expected string)"],
    ["issues", "opened", "issue.labels", "is missing (expected array)"],
    ["issues", "reopened", "issue.closed_at", "is missing (expected string)"],
    ["issues", "opened", "issue.number", "is missing (expected number)"],
    ["deployment", "created", "deployment.sha", "is missing (expected string)"],
    ["deployment", "created", "deployment.environment", "is missing (expected string)"],
    ["deployment", "created", "deployment.created_at", "is missing (expected string)"],
    ["deployment_status", "created", "deployment_status.state", "is missing (expected string)"],
    ["deployment_status", "created", "deployment_status.created_at", "is missing (expected string)"],
    ["deployment_status", "created", "deployment.id", "is missing (expected number)"],
    ["workflow_run", "completed", "workflow_run.head_sha", "is missing (expected string)"],
    ["workflow_run", "completed", "workflow_run.conclusion", "is missing (expected string)"],
    ["workflow_run", "completed", "workflow_run.updated_at", "is missing (expected string)"],
    ["release", "published", "release.tag_name", "is missing (expected string)"],
    ["release", "published", "release.published_at", "is missing (expected string)"],
    ["release", "published", "release.draft", "is missing (expected boolean)"],
    ["check_run", "rerequested", "check_run.head_sha", "is missing (expected string)"],
    ["check_run", "rerequested", "check_run.name", "is missing (expected string)"],
    ["check_suite", "rerequested", "check_suite.head_sha", "is missing (expected string)"],
    ["installation", "created", "installation.id", "is missing (expected number)"],
    ["installation_repositories", "added", "repositories_added", "is missing (expected array)"],
  ] as const)("refuse %s.%s without %s", (event, action, path, message) => {
    const result = validatePayload(event, without(example(event, action), path));
    expect(result).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it.each([
    ["pull_request", "opened", "repository.html_url"],
    ["pull_request", "opened", "pull_request.body"],
    ["pull_request", "opened", "pull_request.user"],
    ["pull_request", "opened", "pull_request.merge_commit_sha"],
    ["pull_request", "opened", "installation"],
    ["push", undefined, "deleted"],
    ["push", undefined, "head_commit"],
    ["push", undefined, "repository.html_url"],
    ["issues", "opened", "issue.body"],
    ["issues", "unlabeled", "label"],
    ["workflow_run", "completed", "workflow_run.name"],
    ["workflow_run", "completed", "workflow_run.path"],
    ["workflow_run", "completed", "workflow_run.head_branch"],
    ["workflow_run", "completed", "workflow_run.run_attempt"],
    ["release", "published", "release.created_at"],
    ["check_run", "rerequested", "check_run.app"],
    ["check_suite", "rerequested", "check_suite.app"],
    ["installation", "created", "repositories"],
  ] as const)("accept %s.%s without the optional %s", (event, action, path) => {
    expect(validatePayload(event, without(example(event, action), path)).ok).toBe(true);
  });

  it.each([
    ["pull_request.number", "3", "expected number, got string"],
    ["pull_request.labels", null, "is null (expected array)"],
    ["pull_request.updated_at", "last Tuesday", "must be an ISO 8601 date-time with a time zone"],
    ["pull_request.updated_at", "2024-03-01T10:00:00", "must be an ISO 8601 date-time with a time zone"],
    ["pull_request.head.sha", "main", "must be a git commit sha (40 or 64 hex digits)"],
    ["repository.full_name", "Hello-World", "must be owner/name"],
    ["repository.html_url", "not a url", "Invalid URL"],
    // Longer than the column it is stored in: no retry could ever store it.
    ["repository.full_name", `octo/${"r".repeat(300)}`, "must be at most 255 characters"],
    ["pull_request.title", "t".repeat(1025), "must be at most 1024 characters"],
    ["pull_request.state", "s".repeat(17), "must be at most 16 characters"],
    ["pull_request.head.ref", "b".repeat(256), "must be at most 255 characters"],
  ] as const)("refuse pull_request with %s = %j", (path, value, message) => {
    const result = validatePayload("pull_request", withValue(example("pull_request", "opened"), path, value));
    expect(result).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it.each([
    ["deployment", "created", "deployment.environment", "e".repeat(256), "must be at most 255 characters"],
    ["deployment", "created", "deployment.ref", "r".repeat(256), "must be at most 255 characters"],
    ["deployment_status", "created", "deployment_status.state", "x".repeat(17), "must be at most 16 characters"],
    ["issues", "opened", "issue.title", "t".repeat(1025), "must be at most 1024 characters"],
    ["release", "published", "release.tag_name", "v".repeat(256), "must be at most 255 characters"],
    ["workflow_run", "completed", "workflow_run.head_branch", "b".repeat(256), "must be at most 255 characters"],
  ] as const)("refuse %s.%s whose %s is longer than its column", (event, action, path, value, message) => {
    const result = validatePayload(event, withValue(example(event, action), path, value));
    expect(result).toEqual({ ok: false, issues: [{ path, message }] });
  });

  it("counts characters, not UTF-16 units, against a column's length", () => {
    // 255 emoji are 510 UTF-16 units but 255 characters, as MySQL counts them.
    expect(validatePayload("deployment", withValue(example("deployment", "created"), "deployment.environment", "🚀".repeat(255))).ok).toBe(true);
  });

  it("refuses a commit message longer than its TEXT column (65,535 bytes)", () => {
    const payload = pushWithCommit();
    withValue((payload.commits as Json[])[0]!, "message", "é".repeat(40_000));
    expect(validatePayload("push", payload)).toEqual({ ok: false, issues: [{ path: "commits[0].message", message: "must be at most 65535 bytes (UTF-8)" }] });
  });

  it("names the index of a bad commit in a push", () => {
    const payload = pushWithCommit();
    withValue((payload.commits as Json[])[0]!, "timestamp", undefined);
    expect(validatePayload("push", payload)).toEqual({ ok: false, issues: [{ path: "commits[0].timestamp", message: "is missing (expected string)" }] });
  });

  it("reports every problem of a payload at once", () => {
    const payload = without(without(example("pull_request", "opened"), "pull_request.updated_at"), "repository.owner");
    const result = validatePayload("pull_request", payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeRejection(result.issues).split("\n").sort()).toEqual([
      "pull_request.updated_at: is missing (expected string)",
      "repository.owner: is missing (expected object)",
    ]);
  });

  it.each([
    ["an event no handler reads", "star", {}],
    ["an action no handler reads", "check_run", { action: "created" }],
    ["an issues action whose issue is not read", "issues", { action: "pinned", issue: null }],
    ["a release that is not published", "release", { action: "created" }],
  ] as const)("let %s through untouched", (_label, event, payload) => {
    const result = validatePayload(event, payload);
    expect(result).toEqual({ ok: true, payload });
    expect(result.ok && result.payload).toBe(payload);
  });
});
