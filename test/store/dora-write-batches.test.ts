// The group-committed DORA writes (src/store/dora-write-batches.ts) against
// the real database: deliveries handled side by side are written together,
// each caller gets its own row, one bad item fails alone, and however the
// facts are grouped and ordered the rows are those of the one-at-a-time
// writers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CommitObservation, DeploymentFacts } from "../../src/store/capture-facts.js";
import { DoraWriteBatches } from "../../src/store/dora-write-batches.js";
import { recordDeploymentStatuses, upsertDeployment } from "../../src/store/dora-writer.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";

const REPOS = ["acme/shop", "acme/cart"];
const STATES = ["pending", "in_progress", "success", "failure", "error", "inactive"];
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute));
const sha = (seed: string) => seed.padEnd(40, "0");

function facts(repo: string, id: number, statuses: Array<[number, string, number]> = []): DeploymentFacts {
  return {
    deployment: { repo, installationId: 42, source: "deployment", sourceKey: `deployment:${id}`, environment: "production", sha: sha(`d${id}`), ref: "main", createdAt: at(0) },
    statuses: statuses.map(([statusId, state, minute]) => ({ statusKey: `status:${statusId}`, state, createdAt: at(minute) })),
  };
}

function commit(repo: string, seed: string): CommitObservation {
  return { repo, sha: sha(seed), authoredAt: at(1), message: `commit ${seed}` };
}

/** Deployments and statuses without surrogate ids, in a stable order. */
async function snapshot(prisma: PrismaClient) {
  const deployments = await prisma.doraDeployment.findMany({ orderBy: [{ repo: "asc" }, { sourceKey: "asc" }] });
  const keyOf = new Map(deployments.map((row) => [row.id, `${row.repo} ${row.sourceKey}`]));
  const statuses = await prisma.doraDeploymentStatus.findMany();
  return {
    deployments: deployments.map(({ id: _id, ...rest }) => rest),
    statuses: statuses
      .map(({ id: _id, deploymentId, ...rest }) => ({ deployment: keyOf.get(deploymentId), ...rest }))
      .sort((a, b) => `${a.deployment} ${a.statusKey}`.localeCompare(`${b.deployment} ${b.statusKey}`)),
  };
}

async function emptyDeployments(prisma: PrismaClient): Promise<void> {
  await prisma.doraDeploymentStatus.deleteMany();
  await prisma.doraDeployment.deleteMany();
}

describe("DoraWriteBatches", () => {
  let prisma: PrismaClient;

  prismaForAllTests((client) => {
    prisma = client;
  });

  it("writes deployments handed in side by side together, and gives each caller its own row", async () => {
    const batches = new DoraWriteBatches(prisma);
    const handed = [facts(REPOS[0]!, 1, [[11, "success", 5]]), facts(REPOS[0]!, 2), facts(REPOS[1]!, 1, [[12, "failure", 3], [13, "success", 9]])];
    const rows = await Promise.all(handed.map((each) => batches.deployment(each)));

    expect(rows.map((row) => [row.repo, row.sourceKey, row.state, row.deployedAt, row.failedAt])).toEqual([
      [REPOS[0], "deployment:1", "success", at(5), null],
      [REPOS[0], "deployment:2", "pending", null, null],
      [REPOS[1], "deployment:1", "success", at(9), at(3)],
    ]);
    // Three deliveries' writes in one group: the first alone (nothing in flight), or all three.
    expect(batches.counters().deployments.largestBatch).toBeGreaterThan(1);
    expect(await prisma.doraDeploymentStatus.count()).toBe(3);
  });

  it("writes the rest of a group when one deployment cannot be stored, and fails only that one", async () => {
    const batches = new DoraWriteBatches(prisma);
    const tooLong = facts(REPOS[0]!, 3, [[31, "success", 2]]);
    tooLong.deployment.environment = "e".repeat(300);
    const outcomes = await Promise.allSettled([
      batches.deployment(facts(REPOS[0]!, 1, [[11, "success", 5]])),
      batches.deployment(tooLong),
      batches.deployment(facts(REPOS[1]!, 2, [[21, "in_progress", 1]])),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/too long|environment/i);
    const stored = await prisma.doraDeployment.findMany({ orderBy: { repo: "asc" } });
    expect(stored.map((row) => [row.repo, row.sourceKey, row.state])).toEqual([
      [REPOS[1], "deployment:2", "in_progress"],
      [REPOS[0], "deployment:1", "success"],
    ]);
    expect(await prisma.doraDeploymentStatus.count()).toBe(2);
  });

  it("stores the commits of pushes handed in together once each, and a bad list fails alone", async () => {
    const batches = new DoraWriteBatches(prisma);
    // No repository: refused before it reaches MySQL, as a value no column takes would be by MySQL.
    const bad = [{ ...commit(REPOS[0]!, "bad"), repo: null as unknown as string }];
    const outcomes = await Promise.allSettled([
      batches.commits([commit(REPOS[0]!, "a1"), commit(REPOS[0]!, "a2")]),
      batches.commits(bad),
      batches.commits([commit(REPOS[0]!, "a2"), commit(REPOS[1]!, "b1")]),
      batches.commits([]),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const stored = await prisma.doraCommit.findMany({ orderBy: [{ repo: "asc" }, { sha: "asc" }] });
    expect(stored.map((row) => [row.repo, row.sha])).toEqual([
      [REPOS[1], sha("b1")],
      [REPOS[0], sha("a1")],
      [REPOS[0], sha("a2")],
    ]);
  });

  it("gives the rows of the one-at-a-time writers for the same facts, however they are grouped and ordered", async () => {
    // Facts: a few deployments of two repositories, each status delivered on
    // its own (as deployment_status webhooks are), some twice, plus the
    // deployment event itself.
    const oneFact = fc.record({
      repo: fc.constantFrom(...REPOS),
      deployment: fc.integer({ min: 1, max: 3 }),
      status: fc.option(fc.record({ id: fc.integer({ min: 1, max: 6 }), state: fc.constantFrom(...STATES), minute: fc.integer({ min: 0, max: 30 }) }), { nil: undefined }),
    });
    const scenario = fc.record({ facts: fc.array(oneFact, { minLength: 1, maxLength: 12 }), order: fc.func(fc.integer()), group: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 12, maxLength: 12 }) });

    await fc.assert(
      fc.asyncProperty(scenario, async ({ facts: drawn, order, group }) => {
        // A status id belongs to one deployment: key it by both, and give it one state and time.
        const handed = drawn.map(({ repo, deployment, status }) =>
          facts(repo, deployment, status ? [[deployment * 100 + status.id, status.state, status.minute]] : []),
        );
        const firstCopy = new Map<string, DeploymentFacts["statuses"][number]>();
        for (const each of handed) for (const status of each.statuses) firstCopy.set(`${each.deployment.repo} ${status.statusKey}`, firstCopy.get(`${each.deployment.repo} ${status.statusKey}`) ?? status);
        for (const each of handed) each.statuses = each.statuses.map((status) => firstCopy.get(`${each.deployment.repo} ${status.statusKey}`)!);

        await emptyDeployments(prisma);
        for (const each of handed) await recordDeploymentStatuses(prisma, await upsertDeployment(prisma, each.deployment), each.statuses);
        const oneByOne = await snapshot(prisma);

        await emptyDeployments(prisma);
        const batches = new DoraWriteBatches(prisma);
        const shuffled = handed.map((each, index) => ({ each, rank: order(index) })).sort((a, b) => a.rank - b.rank).map(({ each }) => each);
        // Handed in as groups of deliveries side by side, one group after the other.
        for (let start = 0, round = 0; start < shuffled.length; round += 1) {
          const size = group[round % group.length]!;
          await Promise.all(shuffled.slice(start, start + size).map((each) => batches.deployment(each)));
          start += size;
        }
        expect(await snapshot(prisma)).toEqual(oneByOne);
      }),
      { numRuns: 25, seed: 20261129 },
    );
  }, 180_000);
});
