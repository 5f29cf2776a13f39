// Pure: the gate's verdict and figures -> what the `iact/coverage` check run
// shows. Failed tests become failure annotations on their test file when
// the JUnit report names one (else they are listed in the summary);
// uncovered changed lines become annotations too, warnings when the patch
// threshold failed, notices otherwise, up to the cap.
import {
  blobUrl,
  escapeMarkdown,
  MAX_ANNOTATIONS,
  plural,
  truncateSummary,
  type CheckAnnotation,
  type CheckOutput,
} from "../check-output.js";
import { isAbsolutePath } from "./coverage-paths.js";
import { formatPercent, type GateSettings, type GateVerdict } from "./gate.js";
import { lineRanges } from "./patch-lines.js";
import type { PatchCoverage } from "./patch-coverage.js";
import type { LineTotals, TestReport } from "./types.js";

export const COVERAGE_CHECK_RUN_NAME = "iact/coverage";
export const COVERAGE_DOCS_FILE = "coverage.md";

/** Failed tests listed one by one in the summary; the rest are counted. */
const MAX_LISTED_TESTS = 50;
/** Files whose uncovered changed lines are listed in the summary. */
const MAX_LISTED_FILES = 50;
/** GitHub's limit on an annotation's title. */
const MAX_TITLE_CHARS = 255;

export interface ReportRead {
  artifact: string;
  file: string;
  /** "Cobertura, 12 files", "JUnit, 40 tests". */
  description: string;
}

export interface CoverageOutputInput {
  verdict: GateVerdict;
  settings: GateSettings;
  total?: LineTotals | undefined;
  tests?: TestReport | undefined;
  patch: PatchCoverage | { unavailable: string };
  pullRequest?: number | undefined;
  reports: readonly ReportRead[];
  workflow: { name: string; runNumber?: number | undefined; url?: string | undefined };
  repositoryUrl: string;
  sha: string;
  /** Folder URL of docs/rules/. */
  rulesDocsUrl: string;
  maxAnnotations?: number;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function workflowLink(workflow: CoverageOutputInput["workflow"]): string {
  const text = `${escapeMarkdown(workflow.name)}${workflow.runNumber !== undefined ? ` run #${workflow.runNumber}` : ""}`;
  return workflow.url ? `[${text}](${workflow.url})` : text;
}

function docsLine(rulesDocsUrl: string): string {
  const folder = rulesDocsUrl.endsWith("/") ? rulesDocsUrl : `${rulesDocsUrl}/`;
  return `What each outcome means and how to fix it: [${COVERAGE_DOCS_FILE}](${folder}${COVERAGE_DOCS_FILE}).`;
}

function linesOf(totals: LineTotals, what: string): string {
  return `${formatPercent(totals)} (${totals.covered.toLocaleString("en-US")} of ${plural(totals.executable, what)})`;
}

/** Annotations only for relative paths: GitHub places them on repository files. */
function annotatable(path: string | undefined): path is string {
  return path !== undefined && path !== "" && !isAbsolutePath(path) && !path.startsWith("../");
}

export function buildCoverageAnnotations(input: CoverageOutputInput): { annotations: CheckAnnotation[]; omitted: number } {
  const all: CheckAnnotation[] = [];
  for (const test of input.tests?.failed ?? []) {
    if (!annotatable(test.path)) continue;
    const line = test.line ?? 1;
    all.push({
      path: test.path,
      start_line: line,
      end_line: line,
      annotation_level: "failure",
      title: `${test.kind === "error" ? "Test error" : "Test failed"}: ${test.name}`.slice(0, MAX_TITLE_CHARS),
      message: test.details && test.details !== test.message ? `${test.message}\n\n${test.details}` : test.message,
    });
  }
  if (!("unavailable" in input.patch)) {
    const patchFailed = input.verdict.failures.some((failure) => failure.startsWith("patch coverage"));
    for (const change of input.patch.uncovered) {
      for (const [start, end] of lineRanges(change.lines)) {
        all.push({
          path: change.path,
          start_line: start,
          end_line: end,
          annotation_level: patchFailed ? "warning" : "notice",
          title: "Changed line not covered",
          message: start === end ? `Line ${start} is changed by this pull request and no test ran it.` : `Lines ${start}-${end} are changed by this pull request and no test ran them.`,
        });
      }
    }
  }
  const max = input.maxAnnotations ?? MAX_ANNOTATIONS;
  return { annotations: all.slice(0, max), omitted: Math.max(0, all.length - max) };
}

function titleOf(input: CoverageOutputInput): string {
  const { verdict, total, tests } = input;
  if (verdict.conclusion === "failure") return capitalise(verdict.failures.join("; ")).slice(0, MAX_TITLE_CHARS);
  const parts: string[] = [];
  if (total && total.executable > 0) parts.push(`Coverage ${formatPercent(total)}`);
  if (tests) parts.push(`${plural(tests.tests, "test")} passed`);
  if (verdict.conclusion === "neutral") parts.push(verdict.gaps.length === 1 ? "1 thing not measured" : `${verdict.gaps.length} things not measured`);
  return (parts.join(", ") || "Nothing measured").slice(0, MAX_TITLE_CHARS);
}

export function buildCoverageOutput(input: CoverageOutputInput): CheckOutput {
  const { verdict, settings, total, tests, patch } = input;
  const { annotations, omitted } = buildCoverageAnnotations(input);
  const workflow = workflowLink(input.workflow);
  const verdictWords = { success: "passed", neutral: "could not measure everything", failure: "failed" }[verdict.conclusion];
  const lines: string[] = [`**${COVERAGE_CHECK_RUN_NAME}** at \`${input.sha.slice(0, 7)}\`, from the workflow ${workflow}: ${verdictWords}.`, ""];

  // 1. The figures against their gates.
  lines.push("| Figure | Value | Gate |", "| --- | --- | --- |");
  const totalValue = total ? (total.executable > 0 ? linesOf(total, "line") : "no executable line") : "not measured";
  const totalGate = total && total.executable > 0 ? `at least ${settings.threshold} %: ${verdict.failures.some((failure) => failure.startsWith("total")) ? "**failed**" : "passed"}` : `at least ${settings.threshold} %`;
  lines.push(`| Total line coverage | ${totalValue} | ${totalGate} |`);
  const prLabel = input.pullRequest !== undefined ? ` (pull request #${input.pullRequest})` : "";
  let patchValue: string;
  if ("unavailable" in patch) patchValue = `unavailable: ${escapeMarkdown(patch.unavailable)}`;
  else if (patch.executable === 0) patchValue = "no changed executable line";
  else patchValue = linesOf(patch, "changed line");
  const patchFailed = verdict.failures.some((failure) => failure.startsWith("patch"));
  const patchGate = settings.patchThreshold === undefined ? "not gated (`patchThreshold` unset)" : `at least ${settings.patchThreshold} %: ${patchFailed ? "**failed**" : "unavailable" in patch || patch.executable === 0 ? "not measured" : "passed"}`;
  lines.push(`| Patch coverage${prLabel} | ${patchValue} | ${patchGate} |`);
  const testsValue = tests ? `${plural(tests.tests, "test")}, ${tests.failed.length.toLocaleString("en-US")} failed, ${tests.skipped.toLocaleString("en-US")} skipped` : "no JUnit report";
  lines.push(`| Tests | ${testsValue} | none may fail${tests && tests.failed.length > 0 ? ": **failed**" : tests ? ": passed" : ""} |`);

  // 2. Why.
  if (verdict.failures.length > 0) lines.push("", "### Why it failed", "", ...verdict.failures.map((failure) => `- ${escapeMarkdown(capitalise(failure))}.`));
  if (verdict.gaps.length > 0) lines.push("", "### Not measured", "", ...verdict.gaps.map((gap) => `- ${escapeMarkdown(capitalise(gap))}${gap.endsWith(".") ? "" : "."}`));

  // 3. Failed tests.
  if (tests && tests.failed.length > 0) {
    lines.push("", "### Failed tests", "");
    for (const test of tests.failed.slice(0, MAX_LISTED_TESTS)) {
      const where = annotatable(test.path) ? ` ([${escapeMarkdown(test.path)}${test.line ? `:${test.line}` : ""}](${blobUrl(input.repositoryUrl, input.sha, test.path, test.line)}))` : test.path ? ` (${escapeMarkdown(test.path)})` : "";
      lines.push(`- \`${escapeMarkdown(test.name)}\`${where}: ${escapeMarkdown(test.message.slice(0, 500))}`);
    }
    if (tests.failed.length > MAX_LISTED_TESTS) lines.push(`- … and ${plural(tests.failed.length - MAX_LISTED_TESTS, "more failed test")}.`);
  }

  // 4. Uncovered changed lines.
  if (!("unavailable" in patch) && patch.uncovered.length > 0) {
    lines.push("", "### Changed lines no test ran", "");
    for (const change of patch.uncovered.slice(0, MAX_LISTED_FILES)) {
      const ranges = lineRanges(change.lines).map(([start, end]) => `[${start === end ? `L${start}` : `L${start}-L${end}`}](${blobUrl(input.repositoryUrl, input.sha, change.path, start, end)})`);
      lines.push(`- ${escapeMarkdown(change.path)}: ${ranges.join(", ")}`);
    }
    if (patch.uncovered.length > MAX_LISTED_FILES) lines.push(`- … and ${plural(patch.uncovered.length - MAX_LISTED_FILES, "more file")}.`);
  }
  if (!("unavailable" in patch) && patch.withoutDiff.length > 0) {
    lines.push("", `GitHub sent no diff for ${plural(patch.withoutDiff.length, "changed file")} (binary or too large), so ${patch.withoutDiff.length === 1 ? "it is" : "they are"} not in the patch coverage.`);
  }
  if (omitted > 0) lines.push("", `${omitted.toLocaleString("en-US")} more annotations were not posted (GitHub shows at most ${MAX_ANNOTATIONS} per run).`);

  // 5. What was read.
  lines.push("", "### Reports read", "");
  if (input.reports.length === 0) lines.push("- none");
  for (const report of input.reports) lines.push(`- artifact \`${escapeMarkdown(report.artifact)}\`: \`${escapeMarkdown(report.file)}\` (${report.description})`);
  lines.push("", docsLine(input.rulesDocsUrl));

  return { title: titleOf(input), summary: truncateSummary(lines.join("\n")), annotations, conclusion: verdict.conclusion };
}

/**
 * A run that read nothing usable (no matching artifact, all expired, too
 * large or unreadable): `neutral`, naming each artifact and why.
 */
export function nothingReadOutput(reasons: readonly string[], input: Pick<CoverageOutputInput, "workflow" | "sha" | "rulesDocsUrl">): CheckOutput {
  const workflow = workflowLink(input.workflow);
  const lines = [
    `**${COVERAGE_CHECK_RUN_NAME}** at \`${input.sha.slice(0, 7)}\` found no report it could read in the workflow ${workflow}, so coverage and tests were not measured:`,
    "",
    ...reasons.map((reason) => `- ${escapeMarkdown(capitalise(reason))}${reason.endsWith(".") ? "" : "."}`),
    "",
    docsLine(input.rulesDocsUrl),
  ];
  return { title: capitalise(reasons[0] ?? "No report read").slice(0, MAX_TITLE_CHARS), summary: truncateSummary(lines.join("\n")), annotations: [], conclusion: "neutral" };
}
