// Pure: from an engine's result to what a check run shows. The conclusion,
// the annotations (capped, most severe first) and the Markdown summary
// (rule table, then findings per file linking to the commit's blob), kept
// under GitHub's 65,535-character limit.
import type { CheckName, EngineResult, Finding, FindingLevel, RuleDescription } from "./types.js";
import { utf8Length } from "./file-gate.js";

export const CHECK_RUN_NAMES: Record<CheckName, string> = {
  restrictions: "iact/restrictions",
  docs: "iact/docs",
  security: "iact/security",
};

export const CHECK_NAMES: readonly CheckName[] = ["restrictions", "docs", "security"];

export function checkNameOf(checkRunName: string): CheckName | undefined {
  return CHECK_NAMES.find((check) => CHECK_RUN_NAMES[check] === checkRunName);
}

/** GitHub's limit on output.summary and output.text. */
export const MAX_SUMMARY_CHARS = 65_535;
/** Annotations posted per check run; the rest are counted in the summary. */
export const MAX_ANNOTATIONS = 500;
/** Annotations GitHub accepts per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export const DEFAULT_RULES_DOCS_URL = "https://github.com/iact-bot/iact-bot/blob/main/docs/rules/";

const RULES_DOCS_FILE: Record<CheckName, string> = {
  restrictions: "restrictions.md",
  docs: "docs.md",
  security: "security.md",
};

export type CheckConclusion = "success" | "neutral" | "failure" | "skipped" | "cancelled";

/** The shape of `output.annotations[]` in the Checks API. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: FindingLevel;
  message: string;
  title?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
  conclusion: CheckConclusion;
}

export interface OutputContext {
  check: CheckName;
  /** The repository's web URL (payload `repository.html_url`), so GHES links go to GHES. */
  repositoryUrl: string;
  sha: string;
  /** Folder URL of docs/rules/, with or without its trailing slash. */
  rulesDocsUrl: string;
  maxAnnotations?: number;
  maxSummaryChars?: number;
}

const SEVERITY: Record<FindingLevel, number> = { failure: 0, warning: 1, notice: 2 };

/** failure > findings of lower levels only (neutral) > nothing found (success). */
export function conclusionOf(findings: readonly Finding[]): "success" | "neutral" | "failure" {
  if (findings.some((finding) => finding.level === "failure")) return "failure";
  return findings.length > 0 ? "neutral" : "success";
}

export function toAnnotation(finding: Finding): CheckAnnotation {
  const endLine = Math.max(finding.endLine, finding.startLine);
  const annotation: CheckAnnotation = {
    path: finding.path,
    start_line: finding.startLine,
    end_line: endLine,
    annotation_level: finding.level,
    message: finding.message,
    title: finding.ruleId,
  };
  // GitHub refuses columns on multi-line annotations.
  if (endLine === finding.startLine && finding.startColumn !== undefined) {
    annotation.start_column = finding.startColumn;
    annotation.end_column = Math.max(finding.endColumn ?? finding.startColumn, finding.startColumn);
  }
  return annotation;
}

/** The first `max` annotations, failures first, each level in the engine's order. */
export function selectAnnotations(findings: readonly Finding[], max = MAX_ANNOTATIONS): { annotations: CheckAnnotation[]; omitted: number } {
  const ordered = findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY[a.finding.level] - SEVERITY[b.finding.level] || a.index - b.index);
  return {
    annotations: ordered.slice(0, max).map(({ finding }) => toAnnotation(finding)),
    omitted: Math.max(0, ordered.length - max),
  };
}

export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Markdown-escapes text shown in the summary (messages, titles, paths). */
export function escapeMarkdown(text: string): string {
  // CommonMark ends a line at \n, \r\n and a lone \r: any of them would cut a table row or a list item.
  return text.replace(/\r\n?|\n/g, " ").replace(/([\\`*_{}[\]()<>#+!|~])/g, "\\$1");
}

function encodePath(path: string): string {
  // encodeURIComponent leaves ( and ) alone; an unbalanced one would end the Markdown link destination.
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/\(/g, "%28").replace(/\)/g, "%29"))
    .join("/");
}

export function blobUrl(repositoryUrl: string, sha: string, path: string, startLine?: number, endLine?: number): string {
  const base = `${repositoryUrl.replace(/\/+$/, "")}/blob/${sha}/${encodePath(path)}`;
  if (startLine === undefined) return base;
  return endLine !== undefined && endLine > startLine ? `${base}#L${startLine}-L${endLine}` : `${base}#L${startLine}`;
}

export function ruleDocsUrl(rulesDocsUrl: string, check: CheckName, rule: RuleDescription): string {
  const folder = rulesDocsUrl.endsWith("/") ? rulesDocsUrl : `${rulesDocsUrl}/`;
  return `${folder}${RULES_DOCS_FILE[check]}#${rule.docsAnchor}`;
}

/** "1 finding", "1,234 findings": a count with its noun, for summaries. */
export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

export function titleOf(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No problems found";
  const counts = (["failure", "warning", "notice"] as const)
    .map((level) => ({ level, count: findings.filter((finding) => finding.level === level).length }))
    .filter(({ count }) => count > 0)
    .map(({ level, count }) => plural(count, level));
  return counts.join(", ");
}

/** Everything a completed check run shows for one engine result. */
export function buildCheckOutput(result: EngineResult, context: OutputContext): CheckOutput {
  const maxChars = context.maxSummaryChars ?? MAX_SUMMARY_CHARS;
  const { findings } = result;
  const { annotations, omitted } = selectAnnotations(findings, context.maxAnnotations ?? MAX_ANNOTATIONS);

  // 1. The rule table: every rule that ran, plus any rule id only seen in findings.
  const rules = [...result.rules];
  for (const finding of findings) {
    if (!rules.some((rule) => rule.id === finding.ruleId)) {
      rules.push({ id: finding.ruleId, title: finding.title ?? finding.ruleId, level: finding.level, docsAnchor: finding.ruleId });
    }
  }
  const head: string[] = [];
  head.push(`**${CHECK_RUN_NAMES[context.check]}** at \`${context.sha.slice(0, 7)}\`: ${titleOf(findings).toLowerCase()}.`, "");
  if (omitted > 0) {
    head.push(`> ${plural(findings.length, "finding")}: the first ${annotations.length} are annotated on the files, ${omitted.toLocaleString("en-US")} more not shown as annotations (all are listed below while space allows).`, "");
  }
  if (rules.length > 0) {
    head.push("| Rule | Level | Findings | Documentation |", "| --- | --- | ---: | --- |");
    for (const rule of rules) {
      const count = findings.filter((finding) => finding.ruleId === rule.id).length;
      head.push(`| \`${rule.id}\` ${escapeMarkdown(rule.title)} | ${rule.level} | ${count} | [${rule.id}](${ruleDocsUrl(context.rulesDocsUrl, context.check, rule)}) |`);
    }
  } else {
    head.push("No rules are turned on for this check.");
  }

  // 2. Findings per file, as long as they fit.
  const body: string[] = [];
  let written = 0;
  if (findings.length > 0) {
    body.push("", "### Findings by file");
    let currentPath: string | undefined;
    let length = utf8Length(head.join("\n")) + utf8Length(body.join("\n"));
    const reserve = 200; // room for the "N more" line
    for (const finding of findings) {
      const lines: string[] = [];
      if (finding.path !== currentPath) {
        lines.push("", `**[${escapeMarkdown(finding.path)}](${blobUrl(context.repositoryUrl, context.sha, finding.path)})**`, "");
      }
      const location = finding.endLine > finding.startLine ? `L${finding.startLine}-L${finding.endLine}` : `L${finding.startLine}`;
      lines.push(
        `- [${location}](${blobUrl(context.repositoryUrl, context.sha, finding.path, finding.startLine, finding.endLine)}) ${finding.level} \`${finding.ruleId}\`: ${escapeMarkdown(finding.message)}`,
      );
      const added = utf8Length(lines.join("\n")) + 1;
      if (length + added + reserve > maxChars) break;
      body.push(...lines);
      length += added;
      currentPath = finding.path;
      written += 1;
    }
    if (written < findings.length) {
      body.push("", `_${(findings.length - written).toLocaleString("en-US")} more not shown in this summary (GitHub limits it to 65,535 characters); run \`iact-bot check\` on a checkout for the full list._`);
    }
  }

  return {
    title: titleOf(findings),
    summary: [...head, ...body].join("\n"),
    annotations,
    conclusion: conclusionOf(findings),
  };
}

export interface ConfigProblemForOutput {
  message: string;
  path: string;
  line?: number;
  column?: number;
  source?: string;
}

/**
 * A check run for an invalid .github/iact.yml: conclusion `failure` (not
 * `action_required`, which GitHub shows as a request to visit `details_url`,
 * a page we do not have), so a required check blocks the merge rather than
 * a broken file silently turning the checks off. The problems go in the
 * summary with their line and as annotations on the file.
 */
export function invalidConfigOutput(problems: readonly ConfigProblemForOutput[], file: string, context: Pick<OutputContext, "check" | "repositoryUrl" | "sha">): CheckOutput {
  const lines = [
    `**${CHECK_RUN_NAMES[context.check]}** did not run: the configuration in \`${file}\` (read from the default branch) is invalid.`,
    "",
    "| Line | Setting | Problem |",
    "| ---: | --- | --- |",
  ];
  for (const problem of problems) {
    const where = problem.source ? `${escapeMarkdown(problem.source)}${problem.line ? `:${problem.line}` : ""}` : problem.line ? `[${problem.line}](${blobUrl(context.repositoryUrl, context.sha, file, problem.line)})` : "";
    lines.push(`| ${where} | \`${problem.path || "(file)"}\` | ${escapeMarkdown(problem.message)} |`);
  }
  lines.push("", "Fix the file on the default branch; the checks run again on the next push or when re-run. The settings are documented in docs/rules/.");
  const annotations: CheckAnnotation[] = problems
    .filter((problem) => !problem.source)
    .slice(0, ANNOTATIONS_PER_REQUEST)
    .map((problem) => {
      const line = problem.line ?? 1;
      const annotation: CheckAnnotation = {
        path: file,
        start_line: line,
        end_line: line,
        annotation_level: "failure",
        message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
        title: "Invalid .github/iact.yml",
      };
      if (problem.column !== undefined) {
        annotation.start_column = problem.column;
        annotation.end_column = problem.column;
      }
      return annotation;
    });
  return { title: "Invalid .github/iact.yml", summary: truncateSummary(lines.join("\n")), annotations, conclusion: "failure" };
}

export function disabledOutput(check: CheckName): CheckOutput {
  return {
    title: "Turned off in .github/iact.yml",
    summary: `**${CHECK_RUN_NAMES[check]}** is turned off for this repository (\`checks.${check}.enabled: false\` in \`.github/iact.yml\`).`,
    annotations: [],
    conclusion: "skipped",
  };
}

/**
 * A run that could not finish (GitHub or the engine failed): `cancelled`, which
 * branch protection does not count as passing (unlike neutral or skipped),
 * so nothing is left in_progress and nothing passes by accident. The
 * delivery is retried by the inbox, which creates a new run.
 */
export function erroredOutput(check: CheckName, error: unknown): CheckOutput {
  return erroredOutputNamed(CHECK_RUN_NAMES[check], error);
}

/** The same for a check run that is not one of the rule engines' (iact/coverage). */
export function erroredOutputNamed(checkRunName: string, error: unknown): CheckOutput {
  const message = error instanceof Error ? error.message : String(error);
  return {
    title: "Could not finish; will retry",
    summary: truncateSummary(
      `**${checkRunName}** could not finish: ${escapeMarkdown(message)}\n\niact-bot retries the delivery with backoff; a new check run replaces this one. You can also re-run it from this page.`,
    ),
    annotations: [],
    conclusion: "cancelled",
  };
}

export function truncateSummary(summary: string, maxChars = MAX_SUMMARY_CHARS): string {
  if (utf8Length(summary) <= maxChars) return summary;
  const suffix = "\n\n_(truncated)_";
  let cut = summary.slice(0, maxChars - suffix.length);
  while (utf8Length(cut) + suffix.length > maxChars) cut = cut.slice(0, Math.floor(cut.length * 0.95));
  return cut + suffix;
}
