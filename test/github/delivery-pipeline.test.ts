// A push through the worker's pipeline: a push that changes .github/iact.yml
// drops the cached settings once, before the batch's DORA capture, and
// capture and the push handler's checks then share one read of the new file
// (they used to invalidate separately, and the cache had to guess that the
// second invalidation belonged to the same push).
import nock from "nock";
import pino from "pino";
import { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { iactBotApp } from "../../src/app.js";
import { BlobCache } from "../../src/github/blob-cache.js";
import { DeliveryPipeline } from "../../src/github/delivery-pipeline.js";
import { DoraBatchCapture } from "../../src/github/dora-batch-capture.js";
import { DoraCapture } from "../../src/github/dora-capture.js";
import { RepoConfigCache } from "../../src/github/repo-config-cache.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { TEST_APP_ID, TEST_PRIVATE_KEY, TEST_WEBHOOK_SECRET } from "../support/github-app.js";
import { TestOctokit } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";

const API = "https://api.github.com";
const CONFIG_PATH = /^\/repos\/Codertocat\/Hello-World\/contents\/\.github(%2F|\/)iact\.yml/;
const INSTALLATION = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
const RAW = { "content-type": "text/plain; charset=utf-8" };
const silent = pino({ level: "silent" });

/** Nothing may reach the database: with `dora.enabled: false` capture stops after reading the settings. */
const noDatabase = new Proxy({}, { get: () => { throw new Error("the database was used"); } }) as PrismaClient;

function pushChangingTheSettings() {
  const push = exampleFor("push");
  push.ref = `refs/heads/${push.repository.default_branch}`;
  push.deleted = false;
  push.after = "7777777777777777777777777777777777777777";
  (push as { installation?: unknown }).installation = INSTALLATION;
  const person = { name: "Codertocat", email: "codertocat@example.com", username: "Codertocat" };
  push.commits = [
    {
      id: push.after,
      tree_id: push.after,
      distinct: true,
      message: "Turn everything off",
      timestamp: "2026-11-27T12:00:00Z",
      url: `https://github.com/Codertocat/Hello-World/commit/${push.after}`,
      author: person,
      committer: person,
      added: [],
      removed: [],
      modified: [".github/iact.yml"],
    },
  ];
  push.head_commit = null;
  return push;
}

describe("onPush", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("reads a changed .github/iact.yml once for capture and checks, after dropping the cached copy", async () => {
    const repoConfig = new RepoConfigCache();
    const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, secret: TEST_WEBHOOK_SECRET, Octokit: TestOctokit, log: silent });
    await probot.load(
      iactBotApp({
        log: silent,
        prisma: noDatabase,
        repoConfig,
        dora: { installBackfillDays: 0 },
        checks: { repoConfig, blobCache: new BlobCache(), rulesDocsUrl: "https://example.com/rules/", appId: Number(TEST_APP_ID) },
      }),
    );
    nock(API).persist().post(/^\/app\/installations\/\d+\/access_tokens$/).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" });

    // The settings before the push, cached: everything on.
    nock(API).get(CONFIG_PATH).reply(200, "checks: {}\n", RAW);
    const octokit = await probot.auth(INSTALLATION.id);
    expect((await repoConfig.get(octokit, "Codertocat", "Hello-World")).ok).toBe(true);

    // The push turns everything off: one more GET (nock answers it once), seen by both features.
    nock(API).get(CONFIG_PATH).reply(200, "dora:\n  enabled: false\nchecks:\n  restrictions:\n    enabled: false\n  docs:\n    enabled: false\n  security:\n    enabled: false\n", RAW);
    const runs: Array<{ name: string; conclusion: string }> = [];
    nock(API)
      .persist()
      .post("/repos/Codertocat/Hello-World/check-runs")
      .reply((_uri, body) => {
        const { name, conclusion } = body as { name: string; conclusion: string };
        runs.push({ name, conclusion });
        return [201, { id: runs.length }];
      });
    const capture = new DoraBatchCapture({ prisma: noDatabase, log: silent, repoConfig, writer: new DoraCapture(noDatabase, silent), octokitFor: (id) => probot.auth(id) });
    const pipeline = new DeliveryPipeline({ probot, repoConfig, capture, checks: true });
    const delivery = { deliveryId: "push-1", event: "push", payload: pushChangingTheSettings() as unknown as Record<string, unknown> };
    expect(await pipeline.prepare([delivery])).toEqual([{ ok: true, value: undefined }]);
    expect(pipeline.needsHandlers(delivery)).toBe(true);
    await pipeline.handle(delivery);

    expect(repoConfig.apiCalls).toBe(2);
    expect(runs.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "iact/docs", conclusion: "skipped" },
      { name: "iact/restrictions", conclusion: "skipped" },
      { name: "iact/security", conclusion: "skipped" },
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
