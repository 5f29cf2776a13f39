// Payload -> observation mappers on GitHub's published example payloads.
import { describe, expect, it } from "vitest";
import type { IssuesUnlabeledEvent } from "@octokit/webhooks-types";
import { defaultDoraConfig, doraConfigSchema } from "../../src/config/dora-config.js";
import { fromDeploymentEvent, fromDeploymentStatusEvent, fromReleaseEvent, fromWorkflowRunEvent } from "../../src/github/events/deployment-events.js";
import { fromIssuesEvent, isIncident, lostIncidentLabel } from "../../src/github/events/issue-events.js";
import { firstReviewAt, fromPullRequestEvent } from "../../src/github/events/pull-request-events.js";
import { fromPushEvent, isDefaultBranchPush, touchesRepoConfig } from "../../src/github/events/push-events.js";
import { exampleFor } from "../support/webhook-examples.js";

describe("DORA event mappers", () => {
  it("maps deployment_status with its deployment, so it can arrive first", () => {
    const payload = exampleFor("deployment_status", "created");
    const facts = fromDeploymentStatusEvent(payload);
    expect(facts.deployment).toMatchObject({
      repo: "Codertocat/Hello-World",
      source: "deployment",
      sourceKey: `deployment:${payload.deployment.id}`,
      environment: "production",
      sha: payload.deployment.sha,
      createdAt: new Date(payload.deployment.created_at),
    });
    expect(facts.statuses).toEqual([{ statusKey: `status:${payload.deployment_status.id}`, state: "success", createdAt: new Date(payload.deployment_status.created_at) }]);
    expect(fromDeploymentEvent(exampleFor("deployment", "created")).statuses).toEqual([]);
  });

  it("maps a completed run of a configured workflow, and ignores others", () => {
    const payload = exampleFor("workflow_run", "completed");
    const config = doraConfigSchema.parse({ deployments: { workflows: [{ workflow: payload.workflow_run.name, environment: "Prod" }] } });
    const completed = { ...payload, workflow_run: { ...payload.workflow_run, status: "completed", conclusion: "success" } } as typeof payload;
    expect(fromWorkflowRunEvent(completed, config)).toMatchObject({
      deployment: { sourceKey: `workflow_run:${payload.workflow_run.id}`, environment: "prod", sha: payload.workflow_run.head_sha, source: "workflow_run" },
      statuses: [{ statusKey: "attempt:1", state: "success", createdAt: new Date(payload.workflow_run.updated_at) }],
    });
    expect(fromWorkflowRunEvent(completed, defaultDoraConfig)).toBeUndefined();
  });

  it("maps a published release only when releases are a source", () => {
    const payload = exampleFor("release", "published");
    expect(fromReleaseEvent(payload, defaultDoraConfig)).toBeUndefined();
    const config = doraConfigSchema.parse({ deployments: { releases: { environment: "production" } } });
    expect(fromReleaseEvent(payload, config)).toMatchObject({ releaseId: payload.release.id, tagName: payload.release.tag_name, environment: "production" });
  });

  it("keeps merge_commit_sha only for merged pull requests", () => {
    const closed = exampleFor("pull_request", "closed");
    expect(closed.pull_request.merged).toBe(false);
    expect(fromPullRequestEvent(closed).mergeCommitSha).toBeUndefined();
    const merged = { ...closed, pull_request: { ...closed.pull_request, merged: true, merged_at: "2019-05-15T15:21:18Z" } } as typeof closed;
    expect(fromPullRequestEvent(merged)).toMatchObject({ number: closed.number, mergeCommitSha: closed.pull_request.merge_commit_sha, mergedAt: new Date("2019-05-15T15:21:18Z") });
  });

  it("recognises incident labels case-insensitively, and the loss of one", () => {
    const opened = exampleFor("issues", "opened");
    const observation = fromIssuesEvent({ ...opened, issue: { ...opened.issue, labels: [{ ...opened.issue.labels![0]!, name: "INCIDENT" }] } } as typeof opened)!;
    expect(isIncident(observation, defaultDoraConfig)).toBe(true);
    const unlabeled = exampleFor("issues", "unlabeled") as IssuesUnlabeledEvent;
    const removed = fromIssuesEvent({ ...unlabeled, label: { ...unlabeled.label!, name: "Incident" } })!;
    expect(lostIncidentLabel(removed, defaultDoraConfig)).toBe(true);
    expect(fromIssuesEvent(exampleFor("issues", "assigned"))).toBeUndefined();
  });

  it("takes default-branch pushes and notices .github/iact.yml changes", () => {
    const push = exampleFor("push");
    expect(isDefaultBranchPush(push)).toBe(false);
    const toMain = { ...push, ref: `refs/heads/${push.repository.default_branch}`, deleted: false, commits: [{ ...(push.head_commit ?? {}), id: "A".repeat(40), message: "m", timestamp: "2024-01-01T00:00:00Z", added: [], removed: [], modified: [".github/iact.yml"] }] } as unknown as typeof push;
    expect(isDefaultBranchPush(toMain)).toBe(true);
    expect(touchesRepoConfig(toMain)).toBe(true);
    expect(fromPushEvent(toMain)).toEqual([{ repo: push.repository.full_name, sha: "a".repeat(40), authoredAt: new Date("2024-01-01T00:00:00Z"), message: "m" }]);
  });
});

describe("firstReviewAt: the first review of a merged pull request", () => {
  const merged = { authorLogin: "Author", mergedAt: new Date("2024-03-03T12:00:00Z") };
  const review = (login: string | null, state: string, submittedAt?: string) => ({
    state,
    user: login === null ? null : ({ login } as never),
    ...(submittedAt ? { submitted_at: submittedAt } : {}),
  });
  it.each([
    ["no reviews", [], undefined],
    ["the earliest by someone else, whatever the listing order", [review("b", "APPROVED", "2024-03-03T10:00:00Z"), review("a", "COMMENTED", "2024-03-03T09:00:00Z")], "2024-03-03T09:00:00Z"],
    ["changes requested and dismissed reviews count", [review("a", "DISMISSED", "2024-03-03T08:00:00Z"), review("b", "CHANGES_REQUESTED", "2024-03-03T09:00:00Z")], "2024-03-03T08:00:00Z"],
    ["the author's own reviews do not count (any case)", [review("author", "COMMENTED", "2024-03-03T07:00:00Z"), review("a", "APPROVED", "2024-03-03T09:00:00Z")], "2024-03-03T09:00:00Z"],
    ["pending drafts do not count", [review("a", "PENDING"), review("b", "PENDING", "2024-03-03T07:00:00Z")], undefined],
    ["reviews after the merge do not count", [review("a", "APPROVED", "2024-03-03T13:00:00Z")], undefined],
    ["a review at the merge counts", [review("a", "APPROVED", "2024-03-03T12:00:00Z")], "2024-03-03T12:00:00Z"],
    ["a deleted reviewer's review counts", [review(null, "APPROVED", "2024-03-03T11:00:00Z")], "2024-03-03T11:00:00Z"],
  ] as const)("%s", (_name, reviews, expected) => {
    expect(firstReviewAt(reviews, merged)).toEqual(expected === undefined ? undefined : new Date(expected));
  });

  it("counts every reviewer when the author's account is gone", () => {
    expect(firstReviewAt([review("author", "COMMENTED", "2024-03-03T07:00:00Z")], { mergedAt: merged.mergedAt })).toEqual(new Date("2024-03-03T07:00:00Z"));
  });

  it("takes the author from the pull_request payload", () => {
    const payload = exampleFor("pull_request", "closed");
    expect(fromPullRequestEvent(payload).authorLogin).toBe(payload.pull_request.user.login);
  });
});
