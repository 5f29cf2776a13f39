// Several reports (a test matrix, a file split over classes) may cover the
// same file: their hits are added up per line, so a line covered by any of
// them is covered. Totals are counted from the merged lines.
import type { FileCoverage, LineTotals } from "./types.js";

export function mergeFileCoverage(files: readonly FileCoverage[]): FileCoverage[] {
  const merged = new Map<string, FileCoverage>();
  for (const file of files) {
    const known = merged.get(file.path);
    if (!known) {
      merged.set(file.path, { path: file.path, candidates: [...file.candidates], lines: new Map(file.lines) });
      continue;
    }
    for (const candidate of file.candidates) if (!known.candidates.includes(candidate)) known.candidates.push(candidate);
    for (const [line, hits] of file.lines) known.lines.set(line, (known.lines.get(line) ?? 0) + hits);
  }
  return [...merged.values()];
}

export function lineTotals(lines: ReadonlyMap<number, number>): LineTotals {
  let covered = 0;
  for (const hits of lines.values()) if (hits > 0) covered += 1;
  return { executable: lines.size, covered };
}

export function totalsOf(files: readonly FileCoverage[]): LineTotals {
  let executable = 0;
  let covered = 0;
  for (const file of files) {
    const totals = lineTotals(file.lines);
    executable += totals.executable;
    covered += totals.covered;
  }
  return { executable, covered };
}
