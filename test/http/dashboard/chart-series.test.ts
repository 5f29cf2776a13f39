import { describe, expect, it } from "vitest";
import { deploymentsPerWeek, failureRatePerMonth, leadTimePerWeek } from "../../../src/http/dashboard/chart-series.js";
import type { DeploymentRecord, FigureEvidence } from "../../../src/dora/index.js";

const deployment = (id: string, at: string): DeploymentRecord => ({ id, repo: "o/r", environment: "production", sha: id.padEnd(40, "0"), deployedAt: new Date(at), source: "deployment" }) as DeploymentRecord;

// 2026-11-02 is a Monday (ISO week 45).
const from = new Date("2026-11-02T00:00:00Z");
const to = new Date("2026-11-23T00:00:00Z");

function evidence(partial: Partial<FigureEvidence>): FigureEvidence {
  return { figure: "deployment_frequency", value: null as never, deployments: [], changes: [], incidents: [], ...partial };
}

describe("chart series", () => {
  it("counts deployments per ISO week, empty weeks included", () => {
    const points = deploymentsPerWeek(evidence({ deployments: [{ deployment: deployment("a", "2026-11-02T10:00:00Z") }, { deployment: deployment("b", "2026-11-08T23:00:00Z") }, { deployment: deployment("c", "2026-11-20T10:00:00Z") }] }), from, to);
    expect(points).toEqual([
      { label: "2026-W45", value: 2 },
      { label: "2026-W46", value: 0 },
      { label: "2026-W47", value: 1 },
    ]);
  });

  it("takes the median and p90 of the lead times of each week's deployments (type 7 percentiles)", () => {
    const d1 = deployment("a", "2026-11-03T10:00:00Z");
    const change = (deploymentId: string, hours: number) => ({ change: { deploymentId, sha: `${deploymentId}${hours}`, authoredAt: new Date(0), message: "m" }, leadTimeHours: hours }) as FigureEvidence["changes"][number];
    const series = leadTimePerWeek(evidence({ deployments: [{ deployment: d1 }], changes: [1, 2, 3, 4, 10].map((hours) => change("a", hours)) }), from, to);
    expect(series.median[0]).toEqual({ label: "2026-W45", value: 3 });
    expect(series.p90[0]!.value).toBeCloseTo(7.6, 10);
    expect(series.median[1]).toEqual({ label: "2026-W46", value: null });
  });

  it("gives each month's share of failed deployments in percent, null for a month without any", () => {
    const points = failureRatePerMonth(
      evidence({
        deployments: [
          { deployment: deployment("a", "2026-11-03T10:00:00Z"), failure: { reasons: ["incident"] } },
          { deployment: deployment("b", "2026-11-04T10:00:00Z"), failure: null },
          { deployment: deployment("c", "2026-11-05T10:00:00Z"), failure: null },
          { deployment: deployment("d", "2026-11-06T10:00:00Z"), failure: null },
        ],
      }),
      new Date("2026-10-20T00:00:00Z"),
      to,
    );
    expect(points).toEqual([
      { label: "2026-10", value: null },
      { label: "2026-11", value: 25 },
    ]);
  });
});
