// Payloads validated at the edge, end to end: signed deliveries into the real
// server, the MariaDB inbox and the worker, with iact-bot's own handlers and
// GitHub's API faked with nock. A payload missing a field a feature needs is
// rejected once, with the field's path, and never retried; one missing an
// optional field is processed with that feature degraded.
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { truncateAllTables } from "../support/database.js";
import { deliverQueued, deliveryHandled, startTestService } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";

const INSTALLATION = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
const OWNER = "Codertocat";
const REPO = "Hello-World";

/** GitHub's pull_request.opened example, installed, on `headSha`. */
function pullRequestOpened(headSha: string) {
  const payload = exampleFor("pull_request", "opened");
  payload.pull_request.head.sha = headSha;
  (payload as { installation?: unknown }).installation = INSTALLATION;
  return payload as unknown as Record<string, Record<string, unknown>>;
}

/** Records the names of the deliveries Probot hands to any handler. */
function handedToHandlers() {
  const names: string[] = [];
  return { names, app: (probot: Probot) => probot.onAny(async (event) => void names.push(`${event.id}:${event.name}`)) };
}

interface CheckRunCall {
  method: "POST" | "PATCH";
  id: number;
  body: { name?: string; status?: string; conclusion?: string; output?: { summary?: string } };
}

/**
 * GitHub at `apiRoot` for one repository without .github/iact.yml whose only
 * file pins Redis (one restrictions finding, so the summary links to it).
 */
function fakeRepository(apiRoot: string, sha: string): CheckRunCall[] {
  const calls: CheckRunCall[] = [];
  const api = new URL(apiRoot);
  const prefix = api.pathname.replace(/\/$/, "");
  const requirements = "redis==5.0.1\n";
  const blobSha = "b".repeat(40);
  let nextId = 500;
  const github = nock(api.origin).persist();
  github.post(`${prefix}/app/installations/${INSTALLATION.id}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" });
  github.get(new RegExp(`^${prefix}/repos/${OWNER}/(${REPO}|\\.github)/contents/`)).reply(404, { message: "Not Found" });
  github.get(`${prefix}/repos/${OWNER}/${REPO}/git/trees/${sha}`).query({ recursive: "true" }).reply(200, {
    sha,
    truncated: false,
    tree: [{ path: "requirements.txt", mode: "100644", type: "blob", sha: blobSha, size: requirements.length }],
  });
  github.get(`${prefix}/repos/${OWNER}/${REPO}/git/blobs/${blobSha}`).reply(200, { sha: blobSha, content: Buffer.from(requirements).toString("base64"), encoding: "base64" });
  github.post(`${prefix}/repos/${OWNER}/${REPO}/check-runs`).reply((_uri, body) => {
    const id = nextId++;
    calls.push({ method: "POST", id, body: body as CheckRunCall["body"] });
    return [201, { id }];
  });
  github.patch(new RegExp(`^${prefix}/repos/${OWNER}/${REPO}/check-runs/\\d+$`)).reply((uri, body) => {
    const id = Number(uri.split("/").pop());
    calls.push({ method: "PATCH", id, body: body as CheckRunCall["body"] });
    return [200, { id }];
  });
  return calls;
}

describe("webhook payloads validated before any handler", () => {
  let service: RunningService;
  let handlers: ReturnType<typeof handedToHandlers>;

  beforeEach(async () => {
    await truncateAllTables();
    nock.cleanAll();
    handlers = handedToHandlers();
  });

  afterEach(async () => {
    await service.stop();
    nock.cleanAll();
  });

  it.each([
    ["pull_request", "without pull_request.updated_at", () => {
      const payload = pullRequestOpened("a".repeat(40));
      delete payload.pull_request!.updated_at;
      return payload;
    }, "pull_request.updated_at: is missing (expected string)"],
    ["pull_request", "with a head sha that is a branch name", () => {
      const payload = pullRequestOpened("a".repeat(40));
      (payload.pull_request!.head as { sha: string }).sha = "main";
      return payload;
    }, "pull_request.head.sha: must be a git commit sha (40 or 64 hex digits)"],
    ["push", "without repository.default_branch", () => {
      const payload = exampleFor("push") as unknown as Record<string, Record<string, unknown>>;
      delete payload.repository!.default_branch;
      return payload;
    }, "repository.default_branch: is missing (expected string)"],
  ] as const)("rejects a %s delivery %s once, with the path, and never retries it", async (event, _label, build, reason) => {
    service = await startTestService({ apps: [handlers.app] });
    const deliveryId = await deliverQueued(service, event, build());

    const row = await deliveryHandled(service, deliveryId, { final: true });
    expect(row).toMatchObject({ status: "rejected", attempts: 1, lockedBy: null });
    expect(row.lastError).toBe(`payload rejected:\n${reason}`);
    expect(row.processedAt).not.toBeNull();

    // Another drain claims nothing: rejected is final.
    expect(await service.worker.drainOnce()).toBe(0);
    expect((await service.prisma.webhookDelivery.findUnique({ where: { deliveryId } }))?.attempts).toBe(1);
    // No handler saw it, so nothing called GitHub (net connect is off: a call would have failed the delivery instead).
    expect(handlers.names).toEqual([]);
    expect(await service.inbox.counts()).toEqual({ pending: 0, processing: 0, done: 0, failed: 0, rejected: 1 });
    expect(service.worker.status().rejected).toBe(1);
  });

  it.each([
    ["github.com", {}, "https://api.github.com", "https://github.com"],
    ["GitHub Enterprise Server (GHE_HOST)", { GHE_HOST: "ghe.example.com" }, "https://ghe.example.com/api/v3", "https://ghe.example.com"],
  ] as const)("runs every check on a pull request without repository.html_url, linking to %s", async (_host, env, apiRoot, webRoot) => {
    service = await startTestService({ env, apps: [handlers.app] });
    const sha = "c".repeat(40);
    const checkRuns = fakeRepository(apiRoot, sha);
    const payload = pullRequestOpened(sha);
    delete payload.repository!.html_url;

    const deliveryId = await deliverQueued(service, "pull_request", payload);
    const row = await deliveryHandled(service, deliveryId, { final: true });
    expect(row).toMatchObject({ status: "done", attempts: 1, lastError: null });

    const completed = checkRuns.filter((call) => call.method === "PATCH" && call.body.status === "completed");
    const nameOf = (id: number) => checkRuns.find((call) => call.method === "POST" && call.id === id)?.body.name;
    expect(completed.map((call) => [nameOf(call.id), call.body.conclusion]).sort()).toEqual([
      ["iact/docs", expect.not.stringMatching(/^cancelled$/)],
      ["iact/restrictions", "failure"],
      ["iact/security", "success"],
    ]);
    const restrictions = completed.find((call) => nameOf(call.id) === "iact/restrictions")!;
    expect(restrictions.body.output?.summary).toContain(`(${webRoot}/${OWNER}/${REPO}/blob/${sha}/requirements.txt)`);
    expect(handlers.names).toEqual([`${deliveryId}:pull_request`]);
  });
});
