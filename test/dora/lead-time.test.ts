import { describe, expect, it } from "vitest";
import { computeLeadTime } from "../../src/dora/index.js";
import { at, change, deployment, pullRequest, sha } from "./builders.js";

describe("lead time", () => {
  it("starts a squash merge at its PR's first commit, not at the squash commit", () => {
    // PR #1: first commit Mon 09:00, squash-merged Wed 15:00 as commit 5a (authored 15:00), deployed Wed 16:00.
    // Lead time = Mon 09:00 -> Wed 16:00 = 55 h (the squash commit's own date would give 1 h).
    // Stages: coding 09:00 -> opened Mon 11:00 = 2; pickup -> review Tue 10:00 = 23; review -> merged Wed 15:00 = 29; deploy 1.
    const result = computeLeadTime(
      [deployment("d1", "production", "5a", "2024-03-06 16:00")],
      [change("d1", "5a", "2024-03-06 15:00", "Add cart (#1)", 1)],
      [
        pullRequest(
          1,
          "Add cart",
          { firstCommit: "2024-03-04 09:00", opened: "2024-03-04 11:00", firstReview: "2024-03-05 10:00", merged: "2024-03-06 15:00" },
          { mergeCommitSha: sha("5a") },
        ),
      ],
    );
    expect(result.items).toEqual([
      {
        deploymentId: "d1",
        environment: "production",
        sha: sha("5a"),
        pullRequest: { repo: "acme/shop", number: 1 },
        startedAt: at("2024-03-04 09:00"),
        deployedAt: at("2024-03-06 16:00"),
        leadTimeHours: 55,
        stages: { codingHours: 2, pickupHours: 23, reviewHours: 29, deployHours: 1 },
      },
    ]);
  });

  it("counts each PR once per deployment when several merges ship together", () => {
    // Deploy Tue 12:00 ships PR #1 (commits a1 Mon 08:00, a2 Mon 10:00, merge m1), PR #2 (b1 Tue 09:00, merge m2)
    // and a direct push c1 (Tue 11:00). PR #1 has no firstCommitAt: fallback = earliest authored of its
    // commits in the deploy, a1 Mon 08:00 -> 28 h. PR #2 firstCommitAt Mon 20:00 -> 16 h. c1 -> 1 h.
    // 3 items (not 6 commits): median 16, p90 h = 2 * 0.9 = 1.8 -> 16 + 0.8 * (28 - 16) = 25.6.
    const result = computeLeadTime(
      [deployment("d1", "production", "c1", "2024-03-05 12:00")],
      [
        change("d1", "a1", "2024-03-04 08:00", "Cart model", 1),
        change("d1", "a2", "2024-03-04 10:00", "Cart view", 1),
        change("d1", "e1", "2024-03-05 10:00", "Merge pull request #1", 1),
        change("d1", "b1", "2024-03-05 09:00", "Search box", 2),
        change("d1", "e2", "2024-03-05 10:30", "Merge pull request #2", 2),
        change("d1", "c1", "2024-03-05 11:00", "Bump version"),
      ],
      [
        pullRequest(1, "Add cart", { opened: "2024-03-04 11:00", merged: "2024-03-05 10:00" }, { mergeCommitSha: sha("e1") }),
        pullRequest(2, "Add search", { firstCommit: "2024-03-04 20:00", opened: "2024-03-05 09:30", merged: "2024-03-05 10:30" }),
      ],
    );
    expect(result.items.map((item) => [item.sha, item.pullRequest?.number, item.leadTimeHours])).toEqual([
      [sha("e1"), 1, 28], // merge commit named as the PR's sha
      [sha("e2"), 2, 16], // no mergeCommitSha known: the latest-authored commit
      [sha("c1"), undefined, 1],
    ]);
    expect(result.count).toBe(3);
    expect(result.medianHours).toBe(16);
    expect(result.p90Hours).toBeCloseTo(25.6, 10);
    // coding: PR1 08:00 -> 11:00 = 3, PR2 20:00 -> 09:30 = 13.5 -> median 8.25; no reviews -> null;
    // deploy: PR1 10:00 -> 12:00 = 2, PR2 10:30 -> 12:00 = 1.5 -> 1.75. The direct push has no stages.
    expect(result.breakdown).toEqual({ codingHours: 8.25, pickupHours: null, reviewHours: null, deployHours: 1.75 });
  });

  it("counts the same change once in each environment it reaches, and all changes of a first deployment", () => {
    // First deployment of prod-eu: the capture layer gave it every change (x0 from before production existed, x1);
    // the core counts them all. x1 authored Mon 10:00 -> production Mon 12:00 (2 h), prod-eu Tue 10:00 (24 h);
    // x0 authored Sun 10:00 -> prod-eu Tue 10:00 (48 h).
    const result = computeLeadTime(
      [deployment("p1", "production", "41", "2024-03-04 12:00"), deployment("e1", "prod-eu", "41", "2024-03-05 10:00")],
      [
        change("p1", "41", "2024-03-04 10:00", "Fix typo"),
        change("e1", "40", "2024-03-03 10:00", "Initial commit"),
        change("e1", "41", "2024-03-04 10:00", "Fix typo"),
      ],
      [],
    );
    expect(result.items.map((item) => [item.deploymentId, item.leadTimeHours])).toEqual([
      ["p1", 2],
      ["e1", 48],
      ["e1", 24],
    ]);
  });

  it("is empty with no changes", () => {
    const result = computeLeadTime([deployment("d1", "production", "41", "2024-03-04 12:00")], [], []);
    expect(result).toMatchObject({ count: 0, medianHours: null, p90Hours: null });
    expect(result.breakdown).toEqual({ codingHours: null, pickupHours: null, reviewHours: null, deployHours: null });
  });
});
