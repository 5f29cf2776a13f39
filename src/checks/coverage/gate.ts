// The gate itself (plan TASK-001 and TASK-016): total line coverage at or
// above the threshold, no failed test, and, when the repository asks for
// one, patch coverage at or above its own threshold. A figure that could
// not be measured (no coverage report, no pull request) fails nothing by
// itself but turns a success into `neutral`, saying why, so a missing
// report is never shown as a pass.
import type { PatchCoverage } from "./patch-coverage.js";
import type { LineTotals, TestReport } from "./types.js";

export interface GateSettings {
  /** Percent of executable lines that must be covered (0-100). */
  threshold: number;
  /** Percent of the changed executable lines that must be covered; undefined: reported, not gated. */
  patchThreshold?: number | undefined;
}

export interface GateInput {
  /** Merged totals of every coverage report found; undefined when there was none. */
  total?: LineTotals | undefined;
  /** Merged JUnit results; undefined when there was none. */
  tests?: TestReport | undefined;
  /** The pull request's patch coverage, or why it is not available. */
  patch: PatchCoverage | { unavailable: string };
  /** Files or artifacts that could not be used (too large, corrupt, unknown format…). */
  problems: readonly string[];
}

export type GateConclusion = "success" | "neutral" | "failure";

export interface GateVerdict {
  conclusion: GateConclusion;
  /** Why it failed, one line each. */
  failures: string[];
  /** Why it is not a plain success (something not measured), one line each. */
  gaps: string[];
}

/**
 * "83.33 %": two decimals, cut rather than rounded so that a share below the
 * threshold never shows as the threshold (79.996 shows 79.99). Computed on
 * the whole numbers, so 29 of 50 is 58.00, not 57.99.
 */
export function formatPercent(totals: LineTotals): string {
  const hundredths = Math.floor((totals.covered * 10_000) / totals.executable);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")} %`;
}

// Compared in whole lines, not in rounded percentages: covered/executable >= threshold/100.
function meets(totals: LineTotals, threshold: number): boolean {
  return totals.covered * 100 >= threshold * totals.executable;
}

export function evaluateGate(input: GateInput, settings: GateSettings): GateVerdict {
  const failures: string[] = [];
  const gaps: string[] = [];
  const { total, tests, patch } = input;

  if (!total) gaps.push("no coverage report (Cobertura XML or lcov) was found, so total coverage was not measured");
  else if (total.executable === 0) gaps.push("the coverage report counts no executable line");
  else if (!meets(total, settings.threshold)) failures.push(`total coverage ${formatPercent(total)} is below the threshold of ${settings.threshold} %`);

  if (tests && tests.failed.length > 0) failures.push(`${tests.failed.length} test${tests.failed.length === 1 ? "" : "s"} failed`);

  if ("unavailable" in patch) {
    if (settings.patchThreshold !== undefined) gaps.push(`patch coverage is required but unavailable: ${patch.unavailable}`);
  } else if (settings.patchThreshold !== undefined && patch.executable > 0 && !meets(patch, settings.patchThreshold)) {
    failures.push(`patch coverage ${formatPercent(patch)} is below the patch threshold of ${settings.patchThreshold} %`);
  }

  gaps.push(...input.problems);
  const conclusion: GateConclusion = failures.length > 0 ? "failure" : gaps.length > 0 ? "neutral" : "success";
  return { conclusion, failures, gaps };
}
