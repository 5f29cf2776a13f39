// lcov tracefiles (`lcov`, Istanbul/nyc/c8, coverage.py's `coverage lcov`,
// cargo-llvm-cov): records of `SF:<path>`, `DA:<line>,<hits>[,<checksum>]`,
// …, `end_of_record`. Only SF and DA are read (line coverage); function and
// branch records (FN, FNDA, BRDA, …), LF/LH and unknown keys are skipped.
// A small parser of our own: the format is a line-per-fact text, and the
// npm parsers either buffer callbacks or accept any text silently.
import { displayPath, normalisePath } from "./coverage-paths.js";
import { mergeFileCoverage } from "./merge-coverage.js";
import type { CoverageReport, FileCoverage, ParseOutcome } from "./types.js";

const DATA_LINE = /^DA:(\d{1,15}),(\d{1,15})(,.*)?$/;

export function parseLcov(text: string, fileName: string): ParseOutcome<CoverageReport> {
  const files: FileCoverage[] = [];
  let current: FileCoverage | undefined;
  const malformed = (lineNumber: number, why: string): ParseOutcome<CoverageReport> => ({
    ok: false,
    problem: { code: "malformed", message: `${fileName} is not a valid lcov tracefile: line ${lineNumber}: ${why}.` },
  });
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!.trim();
    const lineNumber = index + 1;
    if (line === "") continue;
    if (line.startsWith("SF:")) {
      if (current) return malformed(lineNumber, "SF: before the end_of_record of the previous file");
      const path = normalisePath(line.slice(3));
      if (path === "") return malformed(lineNumber, "SF: names no file");
      current = { path: displayPath(path), candidates: [path], lines: new Map() };
    } else if (line.startsWith("DA:")) {
      if (!current) return malformed(lineNumber, "DA: outside a file's record (no SF: before it)");
      const match = DATA_LINE.exec(line);
      if (!match || Number(match[1]) < 1) return malformed(lineNumber, `"${line.slice(0, 80)}" is not DA:<line from 1>,<hits>`);
      const lineNo = Number(match[1]);
      current.lines.set(lineNo, (current.lines.get(lineNo) ?? 0) + Number(match[2]));
    } else if (line === "end_of_record") {
      if (!current) return malformed(lineNumber, "end_of_record without an SF: before it");
      files.push(current);
      current = undefined;
    }
  }
  // A last record without its end_of_record (a truncated write) still counts: its DA lines were complete.
  if (current) files.push(current);
  if (files.length === 0) return { ok: false, problem: { code: "malformed", message: `${fileName} holds no lcov record (no SF: line).` } };
  return { ok: true, report: { kind: "coverage", format: "lcov", files: mergeFileCoverage(files) } };
}
