import { describe, expect, it } from "vitest";
import { computePlanMetrics, filterPlanRecords, type TeamMetricRecord } from "../../src/dora/index.js";

const record = (
  cycleId: string,
  phaseName: TeamMetricRecord["phaseName"],
  decision: TeamMetricRecord["decision"],
  durationSeconds: number,
  createdAt = "2024-03-10T00:00:00Z",
): TeamMetricRecord => ({
  cycleId,
  featureId: "FEAT-1",
  phaseName,
  decision,
  durationSeconds,
  metadata: {},
  createdAt: new Date(createdAt),
});

describe("plan metrics, as the plan's Django summary view computes them", () => {
  it("matches a hand-computed set", () => {
    const records = [
      record("C1", "planning", "go", 600),
      record("C2", "testing", "go", 1200),
      record("C3", "testing", "no-go", 900),
      record("C4", "testing", "review", 300),
      record("C5", "deployment", "go", 3600),
      record("C6", "deployment", "go", 7200.5),
      record("C7", "maintenance", "blocked", 60),
    ];
    // lead time: mean(3600, 7200.50) = 5400.25 s -> / 3600 = 1.500069444... h
    // deployment frequency: 2 deployment records
    // CFR: 1 no-go of 3 testing records -> 1 / 3 * 100 = 33.333...
    // total cycles: 7 distinct cycle ids
    expect(computePlanMetrics(records)).toEqual({
      lead_time_hours: 5400.25 / 3600,
      deployment_frequency: 2,
      change_failure_rate: (1 / 3) * 100,
      total_cycles: 7,
    });
  });

  it("gives 0 lead time and 0 CFR without deployment or testing records", () => {
    expect(computePlanMetrics([record("C1", "planning", "go", 10)])).toEqual({
      lead_time_hours: 0,
      deployment_frequency: 0,
      change_failure_rate: 0,
      total_cycles: 1,
    });
    expect(computePlanMetrics([])).toEqual({
      lead_time_hours: 0,
      deployment_frequency: 0,
      change_failure_rate: 0,
      total_cycles: 0,
    });
  });

  it("averages like MySQL's AVG over DECIMAL(10,2): rounded half away from zero to 6 decimals", () => {
    // (0.01 + 0.01 + 0.02) / 3 = 0.013333... s -> 0.013333 s; 1/3 s -> 0.333333 s; 2/3 s -> 0.666667 s
    const deploying = (seconds: number[]) => seconds.map((s, i) => record(`C${i}`, "deployment", "go", s));
    expect(computePlanMetrics(deploying([0.01, 0.01, 0.02])).lead_time_hours).toBe(13_333 / 3_600_000_000);
    expect(computePlanMetrics(deploying([0, 0, 1])).lead_time_hours).toBe(333_333 / 3_600_000_000);
    expect(computePlanMetrics(deploying([0, 1, 1])).lead_time_hours).toBe(666_667 / 3_600_000_000);
  });

  it("counts distinct cycles and filters like created_at >= now - days", () => {
    const now = new Date("2024-03-31T00:00:00Z");
    const records = [
      record("C1", "testing", "no-go", 1, "2024-03-01T00:00:00Z"), // exactly 30 days before: kept (>=)
      record("C1", "deployment", "go", 1, "2024-03-02T00:00:00Z"),
      record("C2", "testing", "go", 1, "2024-02-29T23:59:59Z"), // older: dropped
    ];
    const kept = filterPlanRecords(records, now, 30);
    expect(kept).toHaveLength(2);
    expect(computePlanMetrics(kept)).toMatchObject({ change_failure_rate: 100, total_cycles: 1 });
  });
});
