// workflow_run and release as deployment sources, end to end: signed
// deliveries through the real service and inbox, .github/iact.yml served by
// nock (read through the real RepoConfigCache), GitHub's published example
// payloads, the shop history's commits (fake-github.ts).
import { beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import type { RunningService } from "../../../src/service.js";
import { sendWebhook } from "../../support/github-app.js";
import { serviceForEachTest, waitFor } from "../../support/service.js";
import { exampleFor } from "../../support/webhook-examples.js";
import { API, at, INSTALLATION_ID, NAME, OWNER, REPO, sha, shopHistory } from "./fake-github.js";
import type { FakeRepo } from "./fake-github.js";
import { report } from "./scenario.js";

const WORKFLOWS_AND_RELEASES = `
dora:
  deployments:
    deployment_status: false
    workflows:
      - workflow: Deploy
        environment: Production
    releases:
      environment: production
`;

/** Puts a published example in the shop repository, under the test installation. */
function inShop<T extends object>(payload: T): Record<string, unknown> {
  const copy = payload as unknown as Record<string, unknown>;
  const repository = copy.repository as Record<string, unknown>;
  return {
    ...copy,
    repository: { ...repository, full_name: REPO, name: NAME, default_branch: "main", owner: { ...(repository.owner as object), login: OWNER } },
    installation: { id: INSTALLATION_ID, node_id: "x" },
  };
}

function workflowRun(id: number, name: string, conclusion: string, headSeed: string, completedAt: string) {
  const example = exampleFor("workflow_run", "completed");
  return inShop({
    ...example,
    workflow_run: {
      ...example.workflow_run,
      id,
      name,
      path: `.github/workflows/${name.toLowerCase()}.yml`,
      head_branch: "main",
      head_sha: sha(headSeed),
      run_attempt: 1,
      status: "completed",
      conclusion,
      created_at: at("2024-03-03 12:00"),
      updated_at: completedAt,
    },
  });
}

function publishedRelease(id: number, tagName: string, publishedAt: string) {
  const example = exampleFor("release", "published");
  return inShop({ ...example, release: { ...example.release, id, tag_name: tagName, draft: false, created_at: publishedAt, published_at: publishedAt } });
}

describe("workflow_run and release deployments over signed webhooks", () => {
  let service: RunningService;
  let history: FakeRepo;

  function serveConfig(text: string | undefined): void {
    // Registered before the fake repository's catch-all, so these answer first.
    const repoFile = nock(API).persist().get(new RegExp(`^/repos/${OWNER}/${NAME}/contents/\\.github(%2F|/)iact\\.yml`));
    if (text === undefined) repoFile.reply(404, { message: "Not Found" });
    else repoFile.reply(200, text, { "content-type": "text/plain; charset=utf-8" });
    nock(API).persist().get(new RegExp(`^/repos/${OWNER}/\\.github/contents/`)).reply(404, { message: "Not Found" });
  }

  async function deliver(event: string, payloads: ReadonlyArray<Record<string, unknown>>): Promise<void> {
    const before = await service.prisma.webhookDelivery.count({ where: { status: "done" } });
    for (const payload of payloads) expect((await sendWebhook(service.url, event, payload)).response.status).toBe(202);
    await waitFor(async () => (await service.prisma.webhookDelivery.count({ where: { status: "done" } })) === before + payloads.length, 20_000, `${event} deliveries to be processed`);
  }

  serviceForEachTest((started) => (service = started));
  beforeEach(() => {
    history = shopHistory();
  });

  it("deploys head_sha of a successful run of the configured workflow; other workflows are ignored; a failed run is a failed attempt", async () => {
    serveConfig(WORKFLOWS_AND_RELEASES);
    history.intercept();
    await deliver("workflow_run", [
      workflowRun(5001, "Deploy", "success", "m2", at("2024-03-03 12:30")),
      workflowRun(5002, "CI", "success", "d1", at("2024-03-03 13:30")),
      workflowRun(5003, "Deploy", "failure", "d1", at("2024-03-03 14:00")),
    ]);

    const rows = await service.prisma.doraDeployment.findMany({ orderBy: { sourceKey: "asc" } });
    expect(rows.map((row) => ({ key: row.sourceKey, source: row.source, environment: row.environment, sha: row.sha, deployedAt: row.deployedAt, failedAt: row.failedAt }))).toEqual([
      { key: "workflow_run:5001", source: "workflow_run", environment: "production", sha: sha("m2"), deployedAt: new Date("2024-03-03T12:30:00Z"), failedAt: null },
      { key: "workflow_run:5003", source: "workflow_run", environment: "production", sha: sha("d1"), deployedAt: null, failedAt: new Date("2024-03-03T14:00:00Z") },
    ]);
    const figures = await report(service.prisma);
    expect(figures.evidence.deployments).toEqual(["workflow_run:5001"]);
    expect(figures.failed_deployment_attempts).toBe(1);
    // First deployment of the environment: its head commit, linked to PR #2 through GitHub.
    expect(figures.evidence.changes).toEqual([{ deployment_id: "workflow_run:5001", sha: sha("m2"), pull_request: { repo: REPO, number: 2 }, lead_time_hours: 1.5 }]);
  });

  it("deploys a published release's tag commit when releases are enabled", async () => {
    serveConfig(WORKFLOWS_AND_RELEASES);
    nock(API).get(`/repos/${OWNER}/${NAME}/commits/v1.0.0`).reply(200, history.restCommit(history.commits.get(sha("d1"))!));
    history.intercept();
    await deliver("release", [publishedRelease(6001, "v1.0.0", at("2024-03-03 16:00"))]);

    const rows = await service.prisma.doraDeployment.findMany();
    expect(rows.map((row) => ({ key: row.sourceKey, source: row.source, environment: row.environment, sha: row.sha, ref: row.ref, deployedAt: row.deployedAt }))).toEqual([
      { key: "release:6001", source: "release", environment: "production", sha: sha("d1"), ref: "v1.0.0", deployedAt: new Date("2024-03-03T16:00:00Z") },
    ]);
    expect((await report(service.prisma)).evidence.deployments).toEqual(["release:6001"]);
  });

  it("ignores releases and workflow runs with the default settings", async () => {
    serveConfig(undefined);
    history.intercept();
    await deliver("release", [publishedRelease(6002, "v1.0.1", at("2024-03-03 16:00"))]);
    await deliver("workflow_run", [workflowRun(5004, "Deploy", "success", "m2", at("2024-03-03 12:30"))]);
    expect(await service.prisma.doraDeployment.count()).toBe(0);
    expect(history.calls.filter((call) => call.startsWith("GET /commits"))).toEqual([]);
  });
});
