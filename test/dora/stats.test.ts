import { describe, expect, it } from "vitest";
import { median, percentile } from "../../src/dora/index.js";

// Linear interpolation (type 7): rank h = (n - 1) * p, interpolate x[floor h]..x[ceil h].
describe("median and p90 (linear interpolation between closest ranks)", () => {
  it.each([
    // odd count: the middle value; p90 h = 4 * 0.9 = 3.6 -> 4 + 0.6 * (5 - 4) = 4.6
    { values: [5, 1, 4, 2, 3], median: 3, p90: 4.6 },
    // even count: mean of the two middles (5 + 6) / 2; p90 h = 9 * 0.9 = 8.1 -> 9 + 0.1 * 1 = 9.1
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], median: 5.5, p90: 9.1 },
    // two values: (2 + 10) / 2 = 6; p90 h = 0.9 -> 2 + 0.9 * 8 = 9.2
    { values: [2, 10], median: 6, p90: 9.2 },
    // one value is every percentile
    { values: [7], median: 7, p90: 7 },
  ])("$values -> median $median, p90 $p90", ({ values, median: expectedMedian, p90 }) => {
    expect(median(values)).toBeCloseTo(expectedMedian, 10);
    expect(percentile(values, 0.9)).toBeCloseTo(p90, 10);
  });

  it("is null without values and rejects p outside [0, 1]", () => {
    expect(median([])).toBeNull();
    expect(percentile([], 0.9)).toBeNull();
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
