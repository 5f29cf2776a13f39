// Installation-triggered backfills: the installation event only enqueues one
// dora_backfill_jobs row per repository; the runner started by the service
// drains them outside the delivery, retries failures with backoff, and takes
// over jobs whose runner died. GitHub is the nock fake of test/dora-capture.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import nock from "nock";
import pino from "pino";
import { BackfillRunner } from "../../src/jobs/backfill-runner.js";
import type { RunningService } from "../../src/service.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import { testDatabaseSettings, truncateAllTables } from "../support/database.js";
import { sendWebhook } from "../support/github-app.js";
import { serviceForEachTest, waitFor } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";
import { API, at, FakeRepo, INSTALLATION_ID, NAME, OWNER, REPO, sha } from "../github/dora-capture/fake-github.js";
import { fixedConfig, installationOctokit, probotWithCapture, snapshot } from "../github/dora-capture/scenario.js";

/** One "now" for the whole file: a history built at 13:31:59 and an expectation computed at 13:32:00 must name the same minute. */
const NOW = Date.now();

/** "YYYY-MM-DD HH:MM" `hours` ago: the backfill reads the last 90 days from now. */
function hoursAgo(hours: number): string {
  return new Date(NOW - hours * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** A recent history: a first deployment, a PR merged and deployed, an incident. */
function recentHistory(): FakeRepo {
  const repo = new FakeRepo();
  repo.commit("c0", [], hoursAgo(240), "Initial commit");
  repo.commit("a1", ["c0"], hoursAgo(100), "Cart");
  repo.commit("s1", ["c0"], hoursAgo(90), "Add cart (#1)");
  repo.pull({ number: 1, title: "Add cart", head: "cart", commits: ["a1"], openedAt: at(hoursAgo(99)), mergedAt: at(hoursAgo(90)), mergeCommit: "s1" });
  repo.review(1, "alice", "APPROVED", at(hoursAgo(95)));
  repo.deployment(100, "c0", "production", hoursAgo(200), [["success", hoursAgo(199)]]);
  repo.deployment(101, "s1", "production", hoursAgo(80), [["success", hoursAgo(79)]]);
  repo.issue({ number: 10, title: "Down", body: "", openedAt: at(hoursAgo(70)), labels: ["incident"], history: [{ action: "opened", at: at(hoursAgo(70)), labels: ["incident"] }] });
  return repo;
}

function installationCreated(): Record<string, unknown> {
  const example = exampleFor("installation", "created");
  return {
    ...example,
    installation: { ...example.installation, id: INSTALLATION_ID, account: { ...example.installation.account, login: OWNER } },
    repositories: [{ ...example.repositories![0]!, name: NAME, full_name: REPO }],
  };
}

describe("installation backfills through the job queue", () => {
  let service: RunningService;
  serviceForEachTest((started) => (service = started));

  it("backfills the installed repositories after a signed installation.created, and a second delivery adds nothing", async () => {
    const history = recentHistory();
    nock(API).persist().get(new RegExp(`^/repos/${OWNER}/\\.github/contents/`)).reply(404, { message: "Not Found" });
    history.intercept();
    const payload = installationCreated();

    const first = await sendWebhook(service.url, "installation", payload);
    expect(first.response.status).toBe(202);
    const job = await waitFor(async () => {
      const row = await service.prisma.doraBackfillJob.findFirst({ where: { repo: REPO } });
      return row?.status === "done" ? row : undefined;
    }, 20_000, "the backfill job to finish");
    expect(job).toMatchObject({ trigger: `installation:${INSTALLATION_ID}`, attempts: 1, days: 90, error: null });

    expect((await service.prisma.doraDeployment.findMany({ orderBy: { sourceKey: "asc" } })).map((row) => [row.sourceKey, row.deployedAt !== null])).toEqual([
      ["deployment:100", true],
      ["deployment:101", true],
    ]);
    expect((await service.prisma.doraChange.findMany({ orderBy: { sha: "asc" } })).map((row) => [row.sha, row.prNumber])).toEqual([
      [sha("c0"), null],
      [sha("s1"), 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(await service.prisma.doraPullRequest.findMany({ select: { number: true, firstReviewAt: true } })).toEqual([{ number: 1, firstReviewAt: new Date(at(hoursAgo(95))) }]);
    expect(await service.prisma.doraIncident.count()).toBe(1);
    const once = await snapshot(service.prisma);
    const callsAfterFirst = history.calls.length;

    // GitHub's redelivery (same id) and the same event under a new id.
    expect((await sendWebhook(service.url, "installation", payload, { deliveryId: first.deliveryId })).response.status).toBe(200);
    await sendWebhook(service.url, "installation", payload);
    await waitFor(async () => (await service.prisma.webhookDelivery.count({ where: { status: "done" } })) === 2, 20_000, "the second delivery to be processed");
    expect(await service.prisma.doraBackfillJob.count()).toBe(1);
    expect(await snapshot(service.prisma)).toEqual(once);
    expect(history.calls.slice(callsAfterFirst)).toEqual([]);
  });
});

describe("BackfillRunner", () => {
  const prisma = createPrismaClient(testDatabaseSettings());
  const log = pino({ level: "silent" });
  let runner: BackfillRunner | undefined;

  beforeEach(async () => {
    await truncateAllTables();
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    nock.cleanAll();
  });

  async function startRunner(backoffMs: (attempts: number) => number) {
    const probot = await probotWithCapture(prisma);
    runner = new BackfillRunner(
      { prisma, log, repoConfig: fixedConfig(), octokitFor: () => installationOctokit(probot) },
      { workerId: "runner-test", pollIntervalMs: 20, leaseSeconds: 60, maxAttempts: 3, backoffMs },
    );
    runner.start();
  }

  it("retries a failed job after its backoff, then completes it", async () => {
    const history = recentHistory();
    // GitHub fails the first run.
    nock(API).get(`/repos/${OWNER}/${NAME}`).reply(502, { message: "Bad Gateway" });
    history.intercept();
    await prisma.doraBackfillJob.create({ data: { repo: REPO, installationId: BigInt(INSTALLATION_ID), days: 90, trigger: "test", status: "queued" } });
    const delays: number[] = [];
    await startRunner((attempts) => {
      delays.push(attempts);
      return 300;
    });
    const done = await waitFor(async () => {
      const row = await prisma.doraBackfillJob.findFirst();
      return row?.status === "done" ? row : undefined;
    }, 20_000, "the job to succeed on its second run");
    expect(delays).toEqual([1]);
    expect(done).toMatchObject({ attempts: 2, error: null, lockedBy: null });
    expect(await prisma.doraDeployment.count()).toBe(2);
  });

  it("marks a job failed after maxAttempts runs", async () => {
    nock(API).persist().post(/\/app\/installations\/\d+\/access_tokens/).reply(201, { token: "t", expires_at: "2999-01-01T00:00:00Z", permissions: {}, repository_selection: "all" });
    nock(API).persist().get(`/repos/${OWNER}/${NAME}`).reply(502, { message: "Bad Gateway" });
    await prisma.doraBackfillJob.create({ data: { repo: REPO, installationId: BigInt(INSTALLATION_ID), days: 90, trigger: "test", status: "queued" } });
    await startRunner(() => 0);
    const failed = await waitFor(async () => {
      const row = await prisma.doraBackfillJob.findFirst();
      return row?.status === "failed" ? row : undefined;
    }, 20_000, "the job to fail for good");
    expect(failed.attempts).toBe(3);
    expect(failed.error).toContain("Bad Gateway");
  });

  it("takes over a running job whose runner died (lease lapsed), not one whose lease holds", async () => {
    const history = recentHistory();
    history.intercept();
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 600_000);
    await prisma.doraBackfillJob.create({ data: { repo: REPO, installationId: BigInt(INSTALLATION_ID), days: 90, trigger: "dead", status: "running", attempts: 1, lockedBy: "dead-runner", lockedUntil: past } });
    await prisma.doraBackfillJob.create({ data: { repo: REPO, installationId: BigInt(INSTALLATION_ID), days: 90, trigger: "alive", status: "running", attempts: 1, lockedBy: "other-runner", lockedUntil: future } });
    await startRunner(() => 0);
    await waitFor(async () => (await prisma.doraBackfillJob.findFirst({ where: { trigger: "dead" } }))?.status === "done", 20_000, "the abandoned job to be finished");
    expect(await prisma.doraBackfillJob.findFirst({ where: { trigger: "alive" } })).toMatchObject({ status: "running", lockedBy: "other-runner", attempts: 1 });
    expect(await prisma.doraDeployment.count()).toBe(2);
  });
});
