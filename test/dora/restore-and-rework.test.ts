import { describe, expect, it } from "vitest";
import { computeFailedDeploymentRecovery, computeRework, computeTimeToRestore } from "../../src/dora/index.js";
import { at, change, deployment, incident, pullRequest } from "./builders.js";

describe("time to restore", () => {
  it("measures closed incidents, lists open ones, and treats closings at or after asOf as open", () => {
    // I1 1 h, I2 4 h, I3 closed exactly at asOf -> open, I4 never closed -> open. Median (1 + 4) / 2 = 2.5;
    // p90 h = 0.9 -> 1 + 0.9 x 3 = 3.7.
    const result = computeTimeToRestore(
      [
        incident("I4", "2024-03-04 12:00"),
        incident("I2", "2024-03-04 10:00", "2024-03-04 14:00"),
        incident("I1", "2024-03-04 10:00", "2024-03-04 11:00"),
        incident("I3", "2024-03-05 10:00", "2024-03-06 00:00"),
      ],
      at("2024-03-06 00:00"),
    );
    expect(result.incidents).toEqual([
      { incidentId: "I1", restoreHours: 1 },
      { incidentId: "I2", restoreHours: 4 },
      { incidentId: "I4", restoreHours: null },
      { incidentId: "I3", restoreHours: null },
    ]);
    expect(result).toMatchObject({ count: 2, open: 2, medianHours: 2.5 });
    expect(result.p90Hours).toBeCloseTo(3.7, 10);
  });
});

describe("failed deployment recovery", () => {
  const deployments = [
    deployment("D1", "production", "a1", "2024-03-04 10:00"),
    deployment("D2", "production", "a2", "2024-03-04 16:00"),
    deployment("S1", "staging", "a3", "2024-03-04 11:00"),
  ];

  it.each([
    // incident closed after 2 h, before the next production deploy (6 h; staging's does not count)
    { closedAt: "2024-03-04 12:00", expected: { recoveryHours: 2, recoveredBy: "incident_closed" } },
    // incident closed after 8 h: the next deploy at 6 h came first
    { closedAt: "2024-03-04 18:00", expected: { recoveryHours: 6, recoveredBy: "next_deployment" } },
    // both at 6 h: the incident closing is named
    { closedAt: "2024-03-04 16:00", expected: { recoveryHours: 6, recoveredBy: "incident_closed" } },
  ])("incident closed $closedAt", ({ closedAt, expected }) => {
    const result = computeFailedDeploymentRecovery(
      ["D1"],
      deployments,
      [incident("I1", "2024-03-04 10:30", closedAt)],
      [{ incidentId: "I1", deploymentId: "D1", how: "window" }],
    );
    expect(result.deployments).toEqual([{ deploymentId: "D1", ...expected }]);
  });

  it("leaves a failed deployment with no next deploy and an open incident unrecovered", () => {
    const result = computeFailedDeploymentRecovery(
      ["D2"],
      deployments,
      [incident("I1", "2024-03-04 17:00")],
      [{ incidentId: "I1", deploymentId: "D2", how: "window" }],
    );
    expect(result).toEqual({
      deployments: [{ deploymentId: "D2", recoveryHours: null, recoveredBy: null }],
      count: 0,
      medianHours: null,
    });
  });
});

describe("rework", () => {
  // P1 caused incident I1 (open 12:00 -> 18:00). P2 at 12:00 (opening instant) and P3 at 17:59 are rework;
  // P4 at 18:00 (closing instant) is not. P5 is a hotfix by its deploy ref only; P6 by a direct push's title.
  // 4 of 6 deployments -> 2/3.
  const deployments = [
    deployment("P1", "production", "a1", "2024-03-04 10:00"),
    deployment("P2", "production", "a2", "2024-03-04 12:00"),
    deployment("P3", "staging", "a3", "2024-03-04 17:59"),
    deployment("P4", "production", "a4", "2024-03-04 18:00"),
    deployment("P5", "production", "a5", "2024-03-05 10:00", { ref: "refs/heads/hotfix/db" }),
    deployment("P6", "production", "a6", "2024-03-05 11:00"),
  ];
  const input = {
    deployments,
    allDeployments: deployments,
    changes: [
      change("P1", "a1", "2024-03-04 09:00", "Feature", 1),
      change("P6", "a6", "2024-03-05 10:30", "Hotfix: null check"),
    ],
    pullRequests: [pullRequest(1, "Feature", { opened: "2024-03-04 08:00" }, { labels: ["enhancement"] })],
    incidents: [incident("I1", "2024-03-04 12:00", "2024-03-04 18:00")],
    attributions: [{ incidentId: "I1", deploymentId: "P1", how: "window" as const }],
    rollbacks: [],
  };

  it("marks deployments made while an earlier deployment's incident was open, and hotfixes", () => {
    const result = computeRework(input);
    expect(result.reworkDeployments).toEqual([
      { deploymentId: "P2", reasons: ["open_incident"] },
      { deploymentId: "P3", reasons: ["open_incident"] },
      { deploymentId: "P5", reasons: ["hotfix"] },
      { deploymentId: "P6", reasons: ["hotfix"] },
    ]);
    expect(result.rate).toBe(4 / 6);
  });

  it("uses configured hotfix patterns", () => {
    const result = computeRework(input, { hotfixPatterns: { labels: [/^enhancement$/], branches: [], titles: [] } });
    // P1's PR now counts as a hotfix; P5 (ref) and P6 (title) no longer do.
    expect(result.reworkDeployments.map((entry) => entry.deploymentId)).toEqual(["P1", "P2", "P3"]);
  });
});
