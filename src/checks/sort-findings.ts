// The one order of findings: by path (in the tree's code-unit order), line,
// column, rule. Engines return it, and run-engine.ts merges the file gate's
// notices into it.
import type { Finding } from "./types.js";

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.path, b.path) ||
    a.startLine - b.startLine ||
    (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
    compareText(a.ruleId, b.ruleId)
  );
}

/** A sorted copy. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
