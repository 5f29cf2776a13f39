// From the files of several artifacts to the check run's output.
import { strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { collectReports } from "../../../src/checks/coverage/collect-reports.js";
import { buildCoverageOutput, nothingReadOutput, type CoverageOutputInput } from "../../../src/checks/coverage/coverage-output.js";
import { evaluateGate } from "../../../src/checks/coverage/gate.js";
import { totalsOf } from "../../../src/checks/coverage/merge-coverage.js";
import type { TestReport } from "../../../src/checks/coverage/types.js";

const ALL = ["cobertura", "lcov", "junit"] as const;
const file = (name: string, text: string) => ({ name, bytes: strToU8(text) });

describe("collectReports", () => {
  it("merges coverage across artifacts and adds up test results", () => {
    const collected = collectReports(
      [
        // Matrix job 1 covers a.js line 1, job 2 line 2: merged, both covered.
        { artifact: "coverage-node-20", files: [file("lcov.info", "SF:a.js\nDA:1,1\nDA:2,0\nend_of_record\n"), file("index.html", "<html></html>")] },
        { artifact: "coverage-node-22", files: [file("lcov.info", "SF:a.js\nDA:1,0\nDA:2,3\nend_of_record\n")] },
        { artifact: "junit", files: [file("one.xml", `<testsuite><testcase name="a"/></testsuite>`), file("two.xml", `<testsuite><testcase name="b"><failure message="no"/></testcase></testsuite>`)] },
      ],
      ALL,
    );
    expect(totalsOf(collected.coverage!)).toEqual({ executable: 2, covered: 2 });
    expect(collected.tests).toMatchObject({ tests: 2, failed: [{ name: "b", message: "no" }] });
    // index.html beside a report is skipped quietly.
    expect(collected.problems).toEqual([]);
    expect(collected.reports.map((report) => `${report.artifact}/${report.file}: ${report.description}`)).toEqual([
      "coverage-node-20/lcov.info: lcov, 1 source file",
      "coverage-node-22/lcov.info: lcov, 1 source file",
      "junit/one.xml: JUnit, 1 test",
      "junit/two.xml: JUnit, 1 test",
    ]);
  });

  it("names an artifact with no report, and a malformed report", () => {
    const collected = collectReports(
      [
        { artifact: "coverage-html", files: [file("index.html", "<html/>"), file("style.css", "body{}")] },
        { artifact: "coverage", files: [file("coverage.xml", "<coverage><packages>")] },
      ],
      ALL,
    );
    expect(collected.coverage).toBeUndefined();
    expect(collected.reports).toEqual([]);
    expect(collected.problems).toEqual([
      "artifact coverage-html holds no report in a format iact-bot reads (Cobertura XML, lcov, JUnit XML): index.html, style.css",
      expect.stringMatching(/^coverage\/coverage\.xml is not valid Cobertura XML: line 1/),
    ]);
  });
});

describe("buildCoverageOutput", () => {
  const tests: TestReport = {
    kind: "tests",
    format: "junit",
    tests: 3,
    skipped: 0,
    failed: [
      { name: "tests.test_a", message: "assert 1 == 2", details: "E assert 1 == 2", path: "tests/test_a.py", line: 7, kind: "failure" },
      { name: "Suite.b", message: "boom", path: "/abs/elsewhere/b.py", kind: "error" },
    ],
  };
  const base = (overrides: Partial<CoverageOutputInput> = {}): CoverageOutputInput => {
    const total = { executable: 10, covered: 7 };
    const patch = { executable: 3, covered: 1, uncovered: [{ path: "src/a.py", lines: [4, 5, 9] }], withoutDiff: [] };
    const settings = { threshold: 80, patchThreshold: 50 };
    return {
      verdict: evaluateGate({ total, tests, patch, problems: [] }, settings),
      settings,
      total,
      tests,
      patch,
      pullRequest: 12,
      reports: [{ artifact: "coverage", file: "coverage.xml", description: "Cobertura, 1 source file" }],
      workflow: { name: "CI", runNumber: 30, url: "https://github.com/o/r/actions/runs/5" },
      repositoryUrl: "https://github.com/o/r",
      sha: "a".repeat(40),
      rulesDocsUrl: "https://docs.example/rules",
      ...overrides,
    };
  };

  it("fails with every reason, annotates failed tests on their file and uncovered changes", () => {
    const output = buildCoverageOutput(base());
    expect(output.conclusion).toBe("failure");
    // 7 of 10 = 70 % < 80; 2 failed; patch 1 of 3 = 33.33 % < 50.
    expect(output.title).toBe("Total coverage 70.00 % is below the threshold of 80 %; 2 tests failed; patch coverage 33.33 % is below the patch threshold of 50 %");
    expect(output.summary).toContain("| Total line coverage | 70.00 % (7 of 10 lines) | at least 80 %: **failed** |");
    expect(output.summary).toContain("| Patch coverage (pull request #12) | 33.33 % (1 of 3 changed lines) | at least 50 %: **failed** |");
    expect(output.summary).toContain("| Tests | 3 tests, 2 failed, 0 skipped | none may fail: **failed** |");
    expect(output.summary).toContain("[CI run #30](https://github.com/o/r/actions/runs/5)");
    expect(output.summary).toContain("[coverage.md](https://docs.example/rules/coverage.md)");
    // The test with an absolute path outside the repository is listed, not annotated.
    expect(output.summary).toContain("- `Suite.b` (/abs/elsewhere/b.py): boom");
    expect(output.annotations).toEqual([
      { path: "tests/test_a.py", start_line: 7, end_line: 7, annotation_level: "failure", title: "Test failed: tests.test_a", message: "assert 1 == 2\n\nE assert 1 == 2" },
      // The patch threshold failed: warnings. Lines 4-5 and 9 as two ranges.
      { path: "src/a.py", start_line: 4, end_line: 5, annotation_level: "warning", title: "Changed line not covered", message: "Lines 4-5 are changed by this pull request and no test ran them." },
      { path: "src/a.py", start_line: 9, end_line: 9, annotation_level: "warning", title: "Changed line not covered", message: "Line 9 is changed by this pull request and no test ran it." },
    ]);
  });

  it("passes, with uncovered changes as notices when the patch is not gated", () => {
    const total = { executable: 10, covered: 9 };
    const passing = { ...tests, failed: [] };
    const patch = { executable: 3, covered: 2, uncovered: [{ path: "src/a.py", lines: [4] }], withoutDiff: ["logo.png"] };
    const settings = { threshold: 80 };
    const output = buildCoverageOutput(base({ total, tests: passing, patch, settings, verdict: evaluateGate({ total, tests: passing, patch, problems: [] }, settings) }));
    expect(output.conclusion).toBe("success");
    expect(output.title).toBe("Coverage 90.00 %, 3 tests passed");
    expect(output.annotations.map((annotation) => annotation.annotation_level)).toEqual(["notice"]);
    expect(output.summary).toContain("not gated (`patchThreshold` unset)");
    expect(output.summary).toContain("GitHub sent no diff for 1 changed file (binary or too large), so it is not in the patch coverage.");
  });

  it("caps the annotations and says how many were left out", () => {
    const total = { executable: 1000, covered: 900 };
    const uncovered = Array.from({ length: 20 }, (_, index) => ({ path: `src/f${index}.py`, lines: [1, 3, 5] }));
    const patch = { executable: 100, covered: 40, uncovered, withoutDiff: [] };
    const output = buildCoverageOutput(base({ total, tests: undefined, patch, maxAnnotations: 25, verdict: evaluateGate({ total, patch, problems: [] }, { threshold: 80 }) }));
    // 20 files x 3 ranges = 60 annotations, 25 posted.
    expect(output.annotations).toHaveLength(25);
    expect(output.summary).toContain("35 more annotations were not posted");
  });

  it("says why nothing was read", () => {
    const output = nothingReadOutput(["artifact coverage has expired (on 2026-01-01T00:00:00Z)"], { workflow: { name: "CI" }, sha: "b".repeat(40), rulesDocsUrl: "https://docs.example/rules/" });
    expect(output).toMatchObject({ conclusion: "neutral", title: "Artifact coverage has expired (on 2026-01-01T00:00:00Z)", annotations: [] });
    expect(output.summary).toContain("found no report it could read in the workflow CI");
  });
});
