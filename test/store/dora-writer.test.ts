// The DORA capture writers against the real database. Their contract (see
// src/store/dora-writer.ts): every write is an upsert on a natural key and
// derived columns come from the stored facts, so the same facts in any order,
// any number of times, give the same rows.
import { describe, expect, it } from "vitest";
import type { DeploymentObservation, DeploymentStatusObservation, IssueObservation, PullRequestObservation } from "../../src/store/capture-facts.js";
import {
  changesAreCurrent,
  linkCommitsToPullRequest,
  nextDeployment,
  previousDeployment,
  recordCommits,
  recordDeploymentStatuses,
  replaceChanges,
  upsertDeployment,
  upsertIncident,
  upsertPullRequest,
} from "../../src/store/dora-writer.js";
import { clip } from "../../src/store/dora-batch-writer.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";

const REPO = "acme/shop";
const at = (time: string) => new Date(`2026-11-20T${time}:00.000Z`);
const sha = (seed: string) => seed.padEnd(40, "0");

function deployment(id: number, overrides: Partial<DeploymentObservation> = {}): DeploymentObservation {
  return { repo: REPO, source: "deployment", sourceKey: `deployment:${id}`, environment: "production", sha: sha(`d${id}`), createdAt: at("09:00"), ...overrides };
}

function status(id: number, state: string, time: string): DeploymentStatusObservation {
  return { statusKey: `status:${id}`, state, createdAt: at(time) };
}

function pullRequest(overrides: Partial<PullRequestObservation> = {}): PullRequestObservation {
  return { repo: REPO, number: 7, title: "Add cart", state: "open", headRef: "cart", baseRef: "main", labels: [], openedAt: at("08:00"), updatedAt: at("08:00"), ...overrides };
}

function issue(overrides: Partial<IssueObservation> = {}): IssueObservation {
  return { repo: REPO, number: 12, title: "Checkout down", labels: ["incident"], openedAt: at("10:00"), updatedAt: at("10:00"), ...overrides };
}

describe("DORA writers", () => {
  let prisma: PrismaClient;

  prismaForAllTests((client) => {
    prisma = client;
  });

  /** A deployment with one success at `time`: the shape the ordering and change writers need. */
  async function deployed(id: number, time: string, overrides: Partial<DeploymentObservation> = {}) {
    const deploymentId = await upsertDeployment(prisma, deployment(id, overrides));
    return recordDeploymentStatuses(prisma, deploymentId, [status(id * 10, "success", time)]);
  }

  describe("upsertDeployment", () => {
    it("stores a deployment seen twice as one row, with the first facts, and fills in a late installation id", async () => {
      const first = await upsertDeployment(prisma, deployment(1));
      const again = await upsertDeployment(prisma, deployment(1, { environment: "staging", sha: sha("other"), installationId: 42 }));
      expect(again).toBe(first);
      const rows = await prisma.doraDeployment.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ environment: "production", sha: sha("d1"), installationId: 42n, state: "pending" });
    });

    it("gives two concurrent first sightings one row", async () => {
      const ids = await Promise.all([upsertDeployment(prisma, deployment(2)), upsertDeployment(prisma, deployment(2))]);
      expect(ids[0]).toBe(ids[1]);
      expect(await prisma.doraDeployment.count()).toBe(1);
    });
  });

  describe("recordDeploymentStatuses", () => {
    const statuses = [status(1, "in_progress", "09:01"), status(2, "failure", "09:05"), status(3, "success", "09:20"), status(4, "success", "09:40")];
    const summary = { state: "success", stateAt: at("09:40"), failedAt: at("09:05"), deployedAt: at("09:20") };

    it.each([
      ["in order", statuses],
      ["in reverse", [...statuses].reverse()],
      ["one by one, shuffled", [statuses[2]!, statuses[0]!, statuses[3]!, statuses[1]!]],
    ])("summarises the statuses by their own times whatever the arrival order: %s", async (_label, arrival) => {
      const id = await upsertDeployment(prisma, deployment(1));
      for (const one of arrival) await recordDeploymentStatuses(prisma, id, [one]);
      expect(await prisma.doraDeployment.findUniqueOrThrow({ where: { id } })).toMatchObject(summary);
    });

    it("stores a redelivered status once, and a corrected status replaces the old copy", async () => {
      const id = await upsertDeployment(prisma, deployment(1));
      await recordDeploymentStatuses(prisma, id, statuses);
      const row = await recordDeploymentStatuses(prisma, id, statuses);
      expect(await prisma.doraDeploymentStatus.count()).toBe(statuses.length);
      expect(row).toMatchObject(summary);

      const corrected = await recordDeploymentStatuses(prisma, id, [status(4, "error", "09:40")]);
      expect(await prisma.doraDeploymentStatus.count()).toBe(statuses.length);
      expect(corrected).toMatchObject({ state: "error", failedAt: at("09:05"), deployedAt: at("09:20") });
    });

    it("leaves a deployment without statuses pending and undeployed", async () => {
      const id = await upsertDeployment(prisma, deployment(1));
      expect(await recordDeploymentStatuses(prisma, id, [])).toMatchObject({ state: "pending", stateAt: null, deployedAt: null, failedAt: null });
    });
  });

  describe("previousDeployment and nextDeployment", () => {
    it("order successful deployments of one repo and environment by deployed_at, ties by record id", async () => {
      const a = await deployed(1, "09:00");
      const b = await deployed(2, "10:00");
      const c = await deployed(3, "10:00");
      await deployed(4, "09:30", { environment: "staging" });
      await upsertDeployment(prisma, deployment(5)); // never deployed: not in the order

      expect((await previousDeployment(prisma, b))?.sourceKey).toBe(a.sourceKey);
      expect((await previousDeployment(prisma, c))?.sourceKey).toBe(b.sourceKey);
      expect(await previousDeployment(prisma, a)).toBeNull();
      expect((await nextDeployment(prisma, a))?.sourceKey).toBe(b.sourceKey);
      expect((await nextDeployment(prisma, b))?.sourceKey).toBe(c.sourceKey);
      expect(await nextDeployment(prisma, c)).toBeNull();
    });
  });

  describe("replaceChanges", () => {
    const change = (seed: string, prNumber?: number) => ({ sha: sha(seed), authoredAt: at("08:00"), message: `commit ${seed}`, ...(prNumber === undefined ? {} : { prRepo: REPO, prNumber }) });

    it("replaces the changes when the previous deployment is the one they were computed against", async () => {
      const first = await deployed(1, "09:00");
      const second = await deployed(2, "10:00");
      expect(await replaceChanges(prisma, second.id, first.sha, [change("a"), change("b", 7)], false)).toBe(true);
      // Computed again (a redelivery, a backfill): the same rows, not twice as many.
      expect(await replaceChanges(prisma, second.id, first.sha, [change("a"), change("b", 7)], true)).toBe(true);

      const rows = await prisma.doraChange.findMany({ where: { deploymentId: second.id }, orderBy: { sha: "asc" } });
      expect(rows.map((row) => [row.sha, row.prNumber])).toEqual([[sha("a"), null], [sha("b"), 7]]);
      const stored = await prisma.doraDeployment.findUniqueOrThrow({ where: { id: second.id } });
      expect(stored).toMatchObject({ changesBaseSha: first.sha, changesTruncated: true });
      expect(changesAreCurrent(stored, first.sha)).toBe(true);
      expect(changesAreCurrent(stored, null)).toBe(false);
    });

    it("refuses, writing nothing, when another deployment has become the previous one", async () => {
      const first = await deployed(1, "09:00");
      const third = await deployed(3, "11:00");
      await deployed(2, "10:00"); // arrives late, between the two
      expect(await replaceChanges(prisma, third.id, first.sha, [change("a")], false)).toBe(false);
      expect(await prisma.doraChange.count()).toBe(0);
      expect(changesAreCurrent(await prisma.doraDeployment.findUniqueOrThrow({ where: { id: third.id } }), first.sha)).toBe(false);
    });

    it("refuses for a deployment that has not succeeded, and takes null as 'no previous deployment'", async () => {
      const pending = await upsertDeployment(prisma, deployment(1));
      expect(await replaceChanges(prisma, pending, null, [change("a")], false)).toBe(false);
      const only = await deployed(2, "10:00");
      expect(await replaceChanges(prisma, only.id, null, [change("a")], false)).toBe(true);
      expect(await prisma.doraChange.count()).toBe(1);
    });
  });

  describe("upsertPullRequest", () => {
    it("keeps the newest copy by GitHub's updated_at, whatever arrives last", async () => {
      const merged = pullRequest({ state: "closed", mergedAt: at("12:00"), mergeCommitSha: sha("m"), updatedAt: at("12:00") });
      await upsertPullRequest(prisma, merged);
      await upsertPullRequest(prisma, pullRequest({ title: "Old title", updatedAt: at("09:00") })); // late and older
      await upsertPullRequest(prisma, merged); // redelivered
      const rows = await prisma.doraPullRequest.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ title: "Add cart", state: "closed", mergedAt: at("12:00"), mergeCommitSha: sha("m") });

      await upsertPullRequest(prisma, pullRequest({ title: "Renamed", state: "closed", mergedAt: at("12:00"), updatedAt: at("13:00") }));
      expect((await prisma.doraPullRequest.findFirstOrThrow()).title).toBe("Renamed");
    });

    it("clips a title to the column's 1,024 characters", async () => {
      await upsertPullRequest(prisma, pullRequest({ title: "x".repeat(2000) }));
      expect((await prisma.doraPullRequest.findFirstOrThrow()).title).toHaveLength(1024);
    });
  });

  describe("upsertIncident", () => {
    it("stores an incident once, and an older event arriving late does not undo a newer one", async () => {
      await upsertIncident(prisma, issue({ closedAt: at("12:00"), updatedAt: at("12:00") }), { isIncident: true, rootCauseSha: sha("r") });
      await upsertIncident(prisma, issue(), { isIncident: true }); // the opened event, late
      const rows = await prisma.doraIncident.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ isIncident: true, closedAt: at("12:00"), rootCauseSha: sha("r") });
    });

    it("does not create a row for an issue that is not an incident, unless asked to keep a tombstone", async () => {
      await upsertIncident(prisma, issue({ labels: [] }), { isIncident: false });
      expect(await prisma.doraIncident.count()).toBe(0);

      await upsertIncident(prisma, issue({ labels: [], updatedAt: at("11:00") }), { isIncident: false, keepTombstone: true });
      // The `labeled` event from before the label was removed arrives late: it cannot revive the incident.
      await upsertIncident(prisma, issue({ updatedAt: at("10:30") }), { isIncident: true });
      expect(await prisma.doraIncident.findFirstOrThrow()).toMatchObject({ isIncident: false, labels: [] });
    });
  });

  describe("commits", () => {
    it("keeps the first copy of a commit", async () => {
      await recordCommits(prisma, [{ repo: REPO, sha: sha("c"), authoredAt: at("08:00"), message: "first" }]);
      await recordCommits(prisma, [{ repo: REPO, sha: sha("c"), authoredAt: at("09:00"), message: "second" }]);
      expect(await prisma.doraCommit.findMany()).toMatchObject([{ sha: sha("c"), authoredAt: at("08:00"), message: "first" }]);
    });

    it("links a commit listed in several pull requests to the lowest number, in any order", async () => {
      const shas = [sha("a"), sha("b")];
      await linkCommitsToPullRequest(prisma, REPO, shas, 9);
      await linkCommitsToPullRequest(prisma, REPO, shas, 4);
      await linkCommitsToPullRequest(prisma, REPO, shas, 6);
      await linkCommitsToPullRequest(prisma, REPO, shas, null); // "no PR" never unlinks
      const rows = await prisma.doraCommit.findMany({ orderBy: { sha: "asc" } });
      expect(rows.map((row) => row.prNumber)).toEqual([4, 4]);
      expect(rows.every((row) => row.prLookedUpAt !== null)).toBe(true);
    });

    it("records that a commit was looked up and has no pull request", async () => {
      await linkCommitsToPullRequest(prisma, REPO, [sha("d")], null);
      expect(await prisma.doraCommit.findFirstOrThrow()).toMatchObject({ sha: sha("d"), prNumber: null });
      expect((await prisma.doraCommit.findFirstOrThrow()).prLookedUpAt).not.toBeNull();
    });
  });
});

describe("clip", () => {
  it("keeps short text and cuts long text at the limit", () => {
    expect(clip("short", 10)).toBe("short");
    expect(clip("0123456789abc", 10)).toBe("0123456789");
  });
});
