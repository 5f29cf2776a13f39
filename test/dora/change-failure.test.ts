import { describe, expect, it } from "vitest";
import {
  attributeIncidents,
  computeChangeFailure,
  findReverts,
  findRollbacks,
} from "../../src/dora/index.js";
import { change, deployment, incident, pullRequest, sha } from "./builders.js";

describe("incident attribution", () => {
  const deployments = [
    deployment("P1", "production", "a1", "2024-03-04 10:00"),
    deployment("S1", "staging", "a2", "2024-03-05 09:00"),
    deployment("P2", "production", "a2", "2024-03-05 10:00"),
  ];
  const changes = [change("P1", "a1", "2024-03-04 09:00", "One"), change("P2", "a2", "2024-03-05 09:00", "Two")];

  it.each([
    // root cause matches P1's change (short sha) although P2 is later and in the window
    { name: "short root-cause sha", incident: incident("I1", "2024-03-05 12:00", undefined, { rootCauseSha: "a1a1a1a" }), expected: ["P1", "root_cause"] },
    // full sha, upper case
    { name: "full sha, any case", incident: incident("I2", "2024-03-05 12:00", undefined, { rootCauseSha: sha("a1").toUpperCase() }), expected: ["P1", "root_cause"] },
    // a root cause nobody deployed falls back to the window: latest production deploy P2, 2 h before
    { name: "unknown root cause -> window", incident: incident("I3", "2024-03-05 12:00", undefined, { rootCauseSha: "fffffff" }), expected: ["P2", "window"] },
    // exactly 48 h after P2: still inside (inclusive); staging S1 is never a candidate
    { name: "window edge, inclusive", incident: incident("I4", "2024-03-07 10:00"), expected: ["P2", "window"] },
    { name: "just past 48 h", incident: incident("I5", "2024-03-07 10:01"), expected: [null, null] },
    // opened before any production deployment
    { name: "before every deploy", incident: incident("I6", "2024-03-04 09:00"), expected: [null, null] },
    // an incident that names its environment is attributed there only
    { name: "incident naming staging", incident: incident("I7", "2024-03-05 09:30", undefined, { environment: "Staging" }), expected: ["S1", "window"] },
    // a root cause shipped to production only later than the incident does not count
    { name: "culprit deployed after opening", incident: incident("I8", "2024-03-04 12:00", undefined, { rootCauseSha: "a2a2a2a" }), expected: ["P1", "window"] },
    // another repo's incident
    { name: "other repo", incident: { ...incident("I9", "2024-03-05 12:00"), repo: "acme/other" }, expected: [null, null] },
  ])("$name", ({ incident: subject, expected }) => {
    const [attribution] = attributeIncidents([subject], deployments, changes);
    expect([attribution?.deploymentId, attribution?.how]).toEqual(expected);
  });
});

describe("rollbacks", () => {
  it.each([
    // a b a: the third redeploys a, rolling back from the second
    { shas: ["a1", "b1", "a1"], expected: [{ rollbackDeploymentId: "D3", rolledBackDeploymentId: "D2" }] },
    // a retry of the current sha is not a rollback
    { shas: ["a1", "b1", "b1"], expected: [] },
    // a b c a: rolls back from c only (the deployment it rolled back from)
    { shas: ["a1", "b1", "c1", "a1"], expected: [{ rollbackDeploymentId: "D4", rolledBackDeploymentId: "D3" }] },
    { shas: ["a1", "b1", "c1"], expected: [] },
  ])("$shas", ({ shas, expected }) => {
    const deployments = shas.map((seed, index) =>
      deployment(`D${index + 1}`, "production", seed, `2024-03-0${index + 1} 10:00`),
    );
    expect(findRollbacks(deployments)).toEqual(expected);
  });

  it("never compares environments: promoting staging's older sha to production is not a rollback", () => {
    const deployments = [
      deployment("S1", "staging", "a1", "2024-03-01 10:00"),
      deployment("S2", "staging", "b1", "2024-03-02 10:00"),
      deployment("P1", "production", "b1", "2024-03-03 10:00"),
      deployment("P2", "production", "a1", "2024-03-04 10:00"),
    ];
    expect(findRollbacks(deployments)).toEqual([]);
  });
});

describe("reverts", () => {
  const deployments = [
    deployment("P1", "production", "a1", "2024-03-01 10:00"),
    deployment("P2", "production", "b1", "2024-03-02 10:00"),
    deployment("S1", "staging", "b1", "2024-03-02 09:00"),
  ];

  it.each([
    {
      name: "by sha in the commit message",
      revert: change("P2", "b1", "2024-03-02 09:00", `Revert "Add cart"\n\nThis reverts commit ${sha("a1").slice(0, 10)}.`),
      pullRequests: [],
      expected: ["P1"],
    },
    {
      name: "by title only (squash: first line, PR numbers ignored)",
      revert: change("P2", "b1", "2024-03-02 09:00", 'Revert "Add cart (#1)" (#2)'),
      pullRequests: [],
      expected: ["P1"],
    },
    {
      name: "by the revert PR's body naming the reverted PR",
      revert: change("P2", "b1", "2024-03-02 09:00", "Undo the cart (#2)", 2),
      pullRequests: [pullRequest(2, "Undo the cart", { opened: "2024-03-02 08:00" }, { body: "Reverts acme/shop#1" })],
      expected: ["P1"],
    },
    {
      name: "a sha that production never shipped marks nothing, even if the title matches",
      revert: change("P2", "b1", "2024-03-02 09:00", 'Revert "Add cart"\n\nThis reverts commit 9999999.'),
      pullRequests: [],
      expected: [],
    },
  ])("$name", ({ revert, pullRequests, expected }) => {
    const changes = [change("P1", "a1", "2024-03-01 09:00", "Add cart (#1)", 1), revert];
    const prs = [pullRequest(1, "Add cart", { opened: "2024-02-29 10:00" }), ...pullRequests];
    expect(findReverts(deployments, changes, prs).map((found) => found.revertedDeploymentId)).toEqual(expected);
  });

  it("does not cross environments: staging's revert of a change staging never ran marks nothing", () => {
    const changes = [
      change("P1", "a1", "2024-03-01 09:00", "Add cart"),
      change("S1", "b1", "2024-03-02 08:00", `Revert "Add cart"\n\nThis reverts commit ${sha("a1")}.`),
    ];
    expect(findReverts(deployments, changes, [])).toEqual([]);
  });
});

describe("change failure rate", () => {
  it("counts each failed deployment once, whatever the number of reasons, and ignores unattributed incidents", () => {
    // D1 failed twice over (incident + revert), D2 by rollback, D3 fine; the unattributed incident adds nothing.
    // 2 failed / 4 deployments = 0.5.
    const deployments = ["D1", "D2", "D3", "D4"].map((id, index) =>
      deployment(id, "production", `${index + 1}a`, `2024-03-0${index + 1} 10:00`),
    );
    const result = computeChangeFailure({
      deployments,
      attributions: [
        { incidentId: "I2", deploymentId: "D1", how: "window" },
        { incidentId: "I1", deploymentId: "D1", how: "root_cause" },
        { incidentId: "I3", deploymentId: null, how: null },
      ],
      rollbacks: [{ rollbackDeploymentId: "D3", rolledBackDeploymentId: "D2" }],
      reverts: [{ revertingDeploymentId: "D4", revertingSha: "x", revertedDeploymentId: "D1", revertedSha: "y" }],
    });
    expect(result).toEqual({
      deployments: 4,
      rate: 0.5,
      failedDeployments: [
        { deploymentId: "D1", reasons: ["incident", "revert"], incidentIds: ["I1", "I2"] },
        { deploymentId: "D2", reasons: ["rollback"], incidentIds: [] },
      ],
    });
  });

  it("is null without deployments", () => {
    expect(computeChangeFailure({ deployments: [], attributions: [], rollbacks: [], reverts: [] }).rate).toBeNull();
  });
});
