// Changed lines from unified diffs, report paths matched to repository
// paths, and patch coverage, each on hand-made cases.
import { describe, expect, it } from "vitest";
import { displayPath, findCoverageFor, joinPath, normalisePath } from "../../../src/checks/coverage/coverage-paths.js";
import { patchCoverage } from "../../../src/checks/coverage/patch-coverage.js";
import { addedLines, lineRanges } from "../../../src/checks/coverage/patch-lines.js";
import type { FileCoverage } from "../../../src/checks/coverage/types.js";

describe("added lines of a patch", () => {
  const cases: Array<{ name: string; patch: string; expected: number[] | undefined }> = [
    // New file: +1..+3.
    { name: "a new file", patch: "@@ -0,0 +1,3 @@\n+a\n+b\n+c", expected: [1, 2, 3] },
    // Context 10, removed (no new line), added 11, context 12, added 13.
    { name: "a change in the middle", patch: "@@ -10,3 +10,4 @@ def f():\n ctx\n-old\n+new\n ctx\n+more", expected: [11, 13] },
    // Two hunks: the second restarts at +40.
    { name: "two hunks", patch: "@@ -1,1 +1,2 @@\n x\n+y\n@@ -30,2 +40,2 @@\n-gone\n+here\n kept", expected: [2, 40] },
    { name: "only removals", patch: "@@ -5,2 +5,0 @@\n-a\n-b", expected: [] },
    { name: "no newline marker", patch: "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file", expected: [1] },
    { name: "not a diff", patch: "Binary files differ", expected: undefined },
  ];
  it.each(cases)("$name", ({ patch, expected }) => {
    expect(addedLines(patch)).toEqual(expected);
  });

  it("groups lines into ranges", () => {
    expect(lineRanges([9, 3, 4, 5, 12, 13])).toEqual([[3, 5], [9, 9], [12, 13]]);
  });
});

describe("report paths", () => {
  it.each([
    { path: "./src//a.py", expected: "src/a.py" },
    { path: "src\\pkg\\a.py", expected: "src/pkg/a.py" },
    { path: "/w/src/../lib/a.py", expected: "/w/lib/a.py" },
    { path: "../outside/a.py", expected: "../outside/a.py" },
  ])("normalises $path", ({ path, expected }) => {
    expect(normalisePath(path)).toBe(expected);
  });

  it.each([
    { folder: "/home/runner/work/r/r/src", file: "pkg/a.py", expected: "/home/runner/work/r/r/src/pkg/a.py" },
    { folder: ".", file: "pkg/a.py", expected: "pkg/a.py" },
    { folder: "src", file: "/abs/a.py", expected: "/abs/a.py" },
  ])("joins $file to <source> $folder", ({ folder, file, expected }) => {
    expect(joinPath(folder, file)).toBe(expected);
  });

  it.each([
    { path: "/home/runner/work/shop/shop/src/a.py", expected: "src/a.py" },
    { path: "/Users/runner/work/shop/shop/a.py", expected: "a.py" },
    { path: "D:/a/shop/shop/src/a.cs", expected: "src/a.cs" },
    { path: "/__w/shop/shop/a.go", expected: "a.go" },
    // A self-hosted runner's folder is not guessed: shown as written, matched by suffix.
    { path: "/opt/runner/_work/shop/shop/a.py", expected: "/opt/runner/_work/shop/shop/a.py" },
  ])("shows $path as $expected", ({ path, expected }) => {
    expect(displayPath(path)).toBe(expected);
  });

  const file = (path: string, candidates: string[] = [path]): FileCoverage => ({ path, candidates, lines: new Map() });
  const files = [file("/opt/ci/shop/src/app.py"), file("/opt/ci/shop/vendor/lib/src/app.py"), file("app.py"), file("tests/src/util.py")];
  it.each([
    { repositoryPath: "src/app.py", expected: "/opt/ci/shop/src/app.py", why: "the shortest extra prefix wins over a vendored copy" },
    { repositoryPath: "app.py", expected: "app.py", why: "an exact match wins over suffix matches" },
    { repositoryPath: "src/util.py", expected: "tests/src/util.py", why: "a suffix match on whole segments" },
    { repositoryPath: "til.py", expected: undefined, why: "never part of a segment" },
    { repositoryPath: "docs/readme.md", expected: undefined, why: "a file the report does not know" },
  ])("$repositoryPath -> $expected ($why)", ({ repositoryPath, expected }) => {
    expect(findCoverageFor(repositoryPath, files)?.path).toBe(expected);
  });
});

describe("patch coverage", () => {
  const coverage: FileCoverage[] = [
    { path: "src/a.py", candidates: ["/home/runner/work/r/r/src/a.py"], lines: new Map([[1, 1], [2, 0], [3, 4], [5, 0]]) },
    { path: "src/b.py", candidates: ["src/b.py"], lines: new Map([[10, 0]]) },
  ];
  it("counts the changed lines the report knows, and lists those no test ran", () => {
    const result = patchCoverage(
      [
        // a.py: lines 2 (0 hits), 3 (4 hits), 4 (not executable), 5 (0 hits) -> 3 executable, 1 covered.
        { path: "src/a.py", addedLines: [2, 3, 4, 5] },
        // b.py: line 11 is not executable -> nothing.
        { path: "src/b.py", addedLines: [11] },
        // Not in the report (docs): nothing.
        { path: "README.md", addedLines: [1, 2] },
        { path: "logo.png", addedLines: undefined },
      ],
      coverage,
    );
    expect(result).toEqual({ executable: 3, covered: 1, uncovered: [{ path: "src/a.py", lines: [2, 5] }], withoutDiff: ["logo.png"] });
  });
});
