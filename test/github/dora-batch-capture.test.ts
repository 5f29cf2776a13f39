// The batch capture against the real database: the hand-checked history
// (dora-capture/fake-github.ts) captured in claimed batches of every size, in
// order, reversed and shuffled, must give exactly the rows of the
// one-at-a-time path (DoraCapture's methods, delivery by delivery, as the
// handlers used to call them). Then: one failing delivery fails alone.
import nock from "nock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeploymentEvent, DeploymentStatusEvent, PullRequestEvent, PushEvent } from "@octokit/webhooks-types";
import { defaultDoraConfig } from "../../src/config/dora-config.js";
import { DoraBatchCapture } from "../../src/github/dora-batch-capture.js";
import { DoraCapture } from "../../src/github/dora-capture.js";
import { fromDeploymentEvent, fromDeploymentStatusEvent } from "../../src/github/events/deployment-events.js";
import { fromPullRequestEvent } from "../../src/github/events/pull-request-events.js";
import { fromPushEvent, isDefaultBranchPush } from "../../src/github/events/push-events.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { testDatabaseSettings, truncateAllTables } from "../support/database.js";
import { seededRandom } from "../support/seeded-random.js";
import { API, at, FakeRepo as FakeRepoClass, REPO, sha, shopHistory } from "./dora-capture/fake-github.js";
import type { Delivery, FakeRepo } from "./dora-capture/fake-github.js";
import { fixedConfig, installationOctokit, probotWithCapture, receiveInBatches, report, resetGitHub, silent, snapshot } from "./dora-capture/scenario.js";
import type { CapturingProbot } from "./dora-capture/scenario.js";

/** The one-at-a-time path: each delivery's facts through DoraCapture, the way the handlers wrote them before batches. */
async function oneAtATime(prisma: PrismaClient, probot: CapturingProbot, deliveries: readonly Delivery[]): Promise<void> {
  const writer = new DoraCapture(prisma, silent);
  const octokit = await installationOctokit(probot);
  let serial = 0;
  for (const { event, payload } of deliveries) {
    serial += 1;
    await writer.settings(REPO, defaultDoraConfig);
    if (event === "push") {
      if (isDefaultBranchPush(payload as unknown as PushEvent)) await writer.commits(fromPushEvent(payload as unknown as PushEvent));
    } else if (event === "pull_request") {
      await writer.pullRequest(octokit, fromPullRequestEvent(payload as unknown as PullRequestEvent));
    } else if (event === "deployment") {
      await writer.deployment(octokit, fromDeploymentEvent(payload as unknown as DeploymentEvent));
    } else if (event === "deployment_status") {
      await writer.deployment(octokit, fromDeploymentStatusEvent(payload as unknown as DeploymentStatusEvent));
    } else {
      // Issues, releases, workflow runs: still the handlers' (the same in both paths).
      await probot.receive({ id: `reference-${serial}`, name: event as never, payload: payload as never });
    }
  }
}

/** A fixed permutation (seeded), so that a failure names the order it came from. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

describe("DoraBatchCapture", () => {
  let prisma: PrismaClient;
  let probot: CapturingProbot;
  let history: FakeRepo;
  let reference: { rows: Awaited<ReturnType<typeof snapshot>>; figures: Awaited<ReturnType<typeof report>> };

  beforeAll(async () => {
    nock.disableNetConnect();
    prisma = createPrismaClient(testDatabaseSettings());
    await truncateAllTables();
    history = shopHistory();
    resetGitHub(history);
    probot = await probotWithCapture(prisma);
    await oneAtATime(prisma, probot, history.deliveries());
    reference = { rows: await snapshot(prisma), figures: await report(prisma) };
  });

  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await prisma.$disconnect();
  });

  beforeEach(async () => {
    await truncateAllTables();
    history = shopHistory();
    resetGitHub(history);
    probot = await probotWithCapture(prisma);
  });

  const orders: Array<[string, (deliveries: Delivery[]) => Delivery[]]> = [
    ["in order", (deliveries) => deliveries],
    ["reversed", (deliveries) => [...deliveries].reverse()],
    ["shuffled (seed 7)", (deliveries) => shuffled(deliveries, 7)],
    ["shuffled (seed 2024)", (deliveries) => shuffled(deliveries, 2024)],
  ];
  const sizes: Array<readonly number[]> = [[1], [3], [2, 7, 1], [1000]];

  it.each(orders.flatMap(([name, order]) => sizes.map((size) => [name, size.join(","), order, size] as const)))(
    "gives the one-at-a-time rows for deliveries %s in batches of %s",
    async (_name, _label, order, size) => {
      await receiveInBatches(probot, order(history.deliveries()), size);
      expect(await snapshot(prisma)).toEqual(reference.rows);
      expect(await report(prisma)).toEqual(reference.figures);
    },
  );

  it("changes no row when the whole history comes again as one batch", async () => {
    await receiveInBatches(probot, history.deliveries(), [1000]);
    const callsAfterFirst = history.calls.length;
    await receiveInBatches(probot, history.deliveries(), [1000]);
    expect(await snapshot(prisma)).toEqual(reference.rows);
    // Changes current, reviews listed: no compare or review call the second time.
    expect(history.calls.slice(callsAfterFirst).filter((call) => call.includes("/compare/") || call.includes("/reviews"))).toEqual([]);
  });

  it("fails only the deliveries of a deployment whose compare GitHub refuses; the rest of the batch is written", async () => {
    nock.cleanAll();
    // Registered before the fake's answers, so it is the one nock uses for compares (every time).
    const refused = nock(API).persist().get(/\/compare\//).reply(502, { message: "Bad Gateway" });
    history.intercept();
    const deliveries = history.deliveries();
    const capture = new DoraBatchCapture({ prisma, log: silent, repoConfig: fixedConfig(), writer: new DoraCapture(prisma, silent), octokitFor: () => installationOctokit(probot) });
    const outcomes = await capture.capture(deliveries.filter((delivery) => ["push", "pull_request", "deployment", "deployment_status"].includes(delivery.event)));
    expect(refused.isDone()).toBe(true);

    const captured = deliveries.filter((delivery) => ["push", "pull_request", "deployment", "deployment_status"].includes(delivery.event));
    const failedDeployments = new Set(
      captured.flatMap((delivery, index) => (outcomes[index]!.ok ? [] : [(delivery.payload.deployment as { id: number }).id])),
    );
    // Only deployments that had a previous one (a compare): each first deployment of an environment reads its head commit instead.
    expect(failedDeployments.size).toBeGreaterThan(0);
    for (const [index, delivery] of captured.entries()) {
      const outcome = outcomes[index]!;
      if (!outcome.ok) {
        expect(delivery.event.startsWith("deployment")).toBe(true);
        expect(String(outcome.error)).toMatch(/Bad Gateway|502/);
      }
    }
    // Every fact was still written: all PRs, commits, deployments and statuses.
    expect(await prisma.doraPullRequest.count()).toBe(reference.rows.pullRequests.length);
    expect(await prisma.doraDeployment.count()).toBe(reference.rows.deployments.length);
    expect(await prisma.doraDeploymentStatus.count()).toBe(reference.rows.statuses.length);
    // The failed ones have no changes yet: their retry computes them.
    const withoutChanges = await prisma.doraDeployment.findMany({ where: { deployedAt: { not: null }, changesComputedAt: null }, select: { sourceKey: true } });
    expect(new Set(withoutChanges.map((row) => row.sourceKey))).toEqual(new Set([...failedDeployments].map((id) => `deployment:${id}`)));

    // The retry, with GitHub answering again, ends at the reference rows.
    nock.cleanAll();
    history.intercept();
    const retried = await capture.capture(captured.filter((_delivery, index) => !outcomes[index]!.ok));
    expect(retried.every((outcome) => outcome.ok)).toBe(true);
    expect((await snapshot(prisma)).changes).toEqual(reference.rows.changes);
  });

  it("looks up on GitHub the PRs of commits the store cannot link, and leaves them for the retry when a PR's reviews cannot be listed", async () => {
    // Deployments only: no pull_request event, so every shipped commit is looked up.
    const deployments = history.deliveries().filter((delivery) => delivery.event.startsWith("deployment"));
    await oneAtATime(prisma, probot, deployments);
    const expected = await snapshot(prisma);
    expect(expected.pullRequests.map((pullRequest) => pullRequest.number)).toEqual([1, 2]);
    await truncateAllTables();

    nock.cleanAll();
    const refused = nock(API).persist().get(/\/pulls\/\d+\/reviews/).reply(502, { message: "Bad Gateway" });
    history.intercept();
    const capture = new DoraBatchCapture({ prisma, log: silent, repoConfig: fixedConfig(), writer: new DoraCapture(prisma, silent), octokitFor: () => installationOctokit(probot) });
    const outcomes = await capture.capture(deployments);
    expect(refused.isDone()).toBe(true);
    const failed = deployments.filter((_delivery, index) => !outcomes[index]!.ok);
    expect(failed.length).toBeGreaterThan(0);
    // What waits on the unlisted PRs is not written: the looked-up merge commits stay unlinked, so the retry looks them up again.
    expect(await prisma.doraPullRequest.count({ where: { reviewsListedAt: { not: null } } })).toBe(0);
    expect(await prisma.doraCommit.count({ where: { sha: { in: [sha("s1"), sha("m2")] }, prNumber: { not: null } } })).toBe(0);
    expect(await prisma.doraDeployment.count({ where: { deployedAt: { not: null }, changesComputedAt: { not: null }, sourceKey: { in: ["deployment:101", "deployment:200"] } } })).toBe(0);

    nock.cleanAll();
    history.intercept();
    const retried = await capture.capture(failed);
    expect(retried.every((outcome) => outcome.ok)).toBe(true);
    expect(await snapshot(prisma)).toEqual(expected);
  });

  it("writes one at a time when a batched statement fails, so a value the schema refuses fails its own delivery only", async () => {
    const deliveries = history.deliveries().filter((delivery) => ["push", "pull_request", "deployment", "deployment_status"].includes(delivery.event));
    const first = deliveries.find((delivery) => delivery.event === "deployment")!;
    // An environment longer than its column: the multi-row INSERT of deployments fails as a whole.
    const broken = structuredClone(first);
    (broken.payload.deployment as { id: number; environment: string }).id = 999_999;
    (broken.payload.deployment as { environment: string }).environment = "e".repeat(300);
    const batch = [...deliveries, broken];
    const capture = new DoraBatchCapture({ prisma, log: silent, repoConfig: fixedConfig(), writer: new DoraCapture(prisma, silent), octokitFor: () => installationOctokit(probot) });
    const outcomes = await capture.capture(batch);
    expect(outcomes.slice(0, -1).every((outcome) => outcome.ok)).toBe(true);
    const last = outcomes.at(-1)!;
    expect(last.ok).toBe(false);
    expect(String(!last.ok && last.error)).toMatch(/environment|too long|Data too long/i);
    expect(await prisma.doraDeployment.count({ where: { sourceKey: "deployment:999999" } })).toBe(0);
    // Every other delivery is captured as the reference has it.
    expect(await snapshot(prisma)).toEqual({ ...reference.rows, incidents: [] });
  });
});

/**
 * A seeded history: 6-13 units on main, each a merged PR (some with a
 * second commit, some reviewed, some squash-merged) or a direct commit, and
 * some deployed (production or staging) with a success or a failure, so
 * deployments land out of order, repeat a sha, and ship commits whose PR
 * must be looked up on GitHub.
 */
function generatedHistory(seed: number): FakeRepo {
  const random = seededRandom(seed);
  const repo = new FakeRepoClass();
  const time = (hours: number) => new Date(Date.UTC(2024, 2, 1) + hours * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
  let main = `g${seed}base`;
  repo.commit(main, [], time(0), "Initial commit");
  let hours = 1;
  let pullNumber = 0;
  let deploymentId = 500;
  const units = 6 + Math.floor(random() * 8);
  for (let unit = 1; unit <= units; unit += 1) {
    hours += 1 + Math.floor(random() * 5);
    if (random() < 0.7) {
      pullNumber += 1;
      const commits = [`g${seed}f${unit}a`];
      repo.commit(commits[0]!, [main], time(hours), `Feature ${unit}`);
      if (random() < 0.3) {
        commits.push(`g${seed}f${unit}b`);
        repo.commit(commits[1]!, [commits[0]!], time(hours + 1), `Feature ${unit}, part two`);
      }
      const squash = random() < 0.4;
      const merge = `g${seed}m${unit}x`;
      repo.commit(merge, squash ? [main] : [main, commits.at(-1)!], time(hours + 2), squash ? `Feature ${unit} (#${pullNumber})` : `Merge pull request #${pullNumber}`);
      repo.pull({ number: pullNumber, title: `Feature ${unit}`, head: `feature-${unit}`, commits, openedAt: at(time(hours)), mergedAt: at(time(hours + 2)), mergeCommit: merge });
      if (random() < 0.5) repo.review(pullNumber, "reviewer", "APPROVED", at(time(hours + 1)));
      main = merge;
    } else {
      const direct = `g${seed}d${unit}x`;
      repo.commit(direct, [main], time(hours), `Direct change ${unit}`);
      main = direct;
    }
    if (random() < 0.6) {
      deploymentId += 1;
      const environment = random() < 0.7 ? "production" : "staging";
      const outcome = random() < 0.8 ? "success" : "failure";
      repo.deployment(deploymentId, main, environment, time(hours + 3), [["in_progress", time(hours + 3)], [outcome, time(hours + 4)]]);
    }
  }
  return repo;
}

describe("DoraBatchCapture on generated histories", () => {
  let prisma: PrismaClient;

  beforeAll(() => {
    nock.disableNetConnect();
    prisma = createPrismaClient(testDatabaseSettings());
  });

  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await prisma.$disconnect();
  });

  it.each(Array.from({ length: 12 }, (_, index) => index + 1))("seed %i: shuffled, in random batches, gives the one-at-a-time rows", async (seed) => {
    const history = generatedHistory(seed);
    await truncateAllTables();
    resetGitHub(history);
    const probot = await probotWithCapture(prisma);
    await oneAtATime(prisma, probot, history.deliveries());
    const reference = { rows: await snapshot(prisma), figures: await report(prisma) };
    expect(reference.rows.deployments.length).toBeGreaterThan(0);

    await truncateAllTables();
    resetGitHub(history);
    const random = seededRandom(seed * 7_919);
    const sizes = Array.from({ length: 20 }, () => 1 + Math.floor(random() * 12));
    await receiveInBatches(probot, shuffled(history.deliveries(), seed * 31), sizes);
    expect(await snapshot(prisma)).toEqual(reference.rows);
    expect(await report(prisma)).toEqual(reference.figures);
  });
});
