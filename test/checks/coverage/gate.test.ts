// The gate's verdict on hand-made figures (plan TASK-001/TASK-016: >= 80 %
// of the lines, no failed test; optional patch threshold).
import { describe, expect, it } from "vitest";
import { evaluateGate, formatPercent, type GateInput } from "../../../src/checks/coverage/gate.js";
import type { TestReport } from "../../../src/checks/coverage/types.js";

const passing: TestReport = { kind: "tests", format: "junit", tests: 10, skipped: 0, failed: [] };
const oneFailed: TestReport = { ...passing, failed: [{ name: "t", message: "boom", kind: "failure" }] };
const noPatch = { unavailable: "no pull request" };

interface Case {
  name: string;
  input: GateInput;
  patchThreshold?: number;
  conclusion: string;
  failures?: string[];
  gaps?: string[];
}

const cases: Case[] = [
  // 80 of 100 = 80 %: exactly the threshold passes.
  { name: "exactly 80 %", input: { total: { executable: 100, covered: 80 }, tests: passing, patch: noPatch, problems: [] }, conclusion: "success" },
  // 799 of 1000 = 79.9 %.
  { name: "79.9 %", input: { total: { executable: 1000, covered: 799 }, tests: passing, patch: noPatch, problems: [] }, conclusion: "failure", failures: ["total coverage 79.90 % is below the threshold of 80 %"] },
  // 3 of 3 lines = 100 %, but a test failed.
  { name: "a failed test fails a full coverage", input: { total: { executable: 3, covered: 3 }, tests: oneFailed, patch: noPatch, problems: [] }, conclusion: "failure", failures: ["1 test failed"] },
  { name: "no coverage report", input: { tests: passing, patch: noPatch, problems: [] }, conclusion: "neutral", gaps: ["no coverage report (Cobertura XML or lcov) was found, so total coverage was not measured"] },
  { name: "no executable line", input: { total: { executable: 0, covered: 0 }, patch: noPatch, problems: [] }, conclusion: "neutral", gaps: ["the coverage report counts no executable line"] },
  // Patch 1 of 2 = 50 % against 90 %.
  { name: "patch below its threshold", input: { total: { executable: 10, covered: 9 }, patch: { executable: 2, covered: 1, uncovered: [], withoutDiff: [] }, problems: [] }, patchThreshold: 90, conclusion: "failure", failures: ["patch coverage 50.00 % is below the patch threshold of 90 %"] },
  // Patch 1 of 2 but no patch threshold: reported, not gated.
  { name: "patch not gated", input: { total: { executable: 10, covered: 9 }, patch: { executable: 2, covered: 1, uncovered: [], withoutDiff: [] }, problems: [] }, conclusion: "success" },
  // No changed executable line: nothing to gate.
  { name: "patch with no executable change", input: { total: { executable: 10, covered: 9 }, patch: { executable: 0, covered: 0, uncovered: [], withoutDiff: [] }, problems: [] }, patchThreshold: 90, conclusion: "success" },
  { name: "patch required but unavailable", input: { total: { executable: 10, covered: 9 }, patch: noPatch, problems: [] }, patchThreshold: 90, conclusion: "neutral", gaps: ["patch coverage is required but unavailable: no pull request"] },
  { name: "a problem turns success neutral", input: { total: { executable: 10, covered: 9 }, patch: noPatch, problems: ["artifact x has expired"] }, conclusion: "neutral", gaps: ["artifact x has expired"] },
  { name: "a problem does not hide a failure", input: { total: { executable: 10, covered: 1 }, patch: noPatch, problems: ["artifact x has expired"] }, conclusion: "failure" },
];

describe("evaluateGate", () => {
  it.each(cases)("$name: $conclusion", ({ input, patchThreshold, conclusion, failures, gaps }) => {
    const verdict = evaluateGate(input, { threshold: 80, patchThreshold });
    expect(verdict.conclusion).toBe(conclusion);
    if (failures) expect(verdict.failures).toEqual(failures);
    if (gaps) expect(verdict.gaps).toEqual(gaps);
  });
});

describe("formatPercent", () => {
  it.each([
    { covered: 29, executable: 50, expected: "58.00 %" }, // 0.58 * 100 is 57.999… in floating point
    { covered: 1, executable: 3, expected: "33.33 %" },
    { covered: 2, executable: 3, expected: "66.66 %" }, // cut, not rounded up
    { covered: 7999, executable: 10000, expected: "79.99 %" },
    { covered: 5, executable: 5, expected: "100.00 %" },
  ])("$covered of $executable is $expected", ({ covered, executable, expected }) => {
    expect(formatPercent({ covered, executable })).toBe(expected);
  });
});
