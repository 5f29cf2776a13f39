// Patch coverage: of the lines a pull request adds, those the coverage
// report counts as executable, and how many of them ran. A changed file the
// report does not know (docs, config, an untested language) adds nothing;
// a file GitHub gives no diff for (binary, or too large) is listed apart.
import { findCoverageFor } from "./coverage-paths.js";
import type { FileCoverage, LineTotals } from "./types.js";

export interface ChangedFile {
  /** Repository path (the pull request's files list). */
  path: string;
  /** New-side numbers of the added lines; undefined when GitHub sent no diff for the file. */
  addedLines: number[] | undefined;
}

export interface UncoveredChange {
  path: string;
  lines: number[];
}

export interface PatchCoverage extends LineTotals {
  /** Changed executable lines no test ran, per file, in the pull request's order. */
  uncovered: UncoveredChange[];
  /** Changed files without a diff from GitHub, so not measured. */
  withoutDiff: string[];
}

export function patchCoverage(changed: readonly ChangedFile[], coverage: readonly FileCoverage[]): PatchCoverage {
  const result: PatchCoverage = { executable: 0, covered: 0, uncovered: [], withoutDiff: [] };
  for (const file of changed) {
    if (file.addedLines === undefined) {
      result.withoutDiff.push(file.path);
      continue;
    }
    if (file.addedLines.length === 0) continue;
    const report = findCoverageFor(file.path, coverage);
    if (!report) continue;
    const missed: number[] = [];
    for (const line of file.addedLines) {
      const hits = report.lines.get(line);
      if (hits === undefined) continue;
      result.executable += 1;
      if (hits > 0) result.covered += 1;
      else missed.push(line);
    }
    if (missed.length > 0) result.uncovered.push({ path: file.path, lines: missed });
  }
  return result;
}
