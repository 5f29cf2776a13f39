// One entry point for both rule engines, so the check-run runner (GitHub) and
// `iact-bot check` (a local folder) pick the engine of a check the same way.
// Every file an engine reads passes the file gate (size, binary, UTF-8) first.
import { runDocs, type DocsConfig } from "./docs/index.js";
import { DEFAULT_MAX_FILE_BYTES, gateFiles } from "./file-gate.js";
import { runRestrictions, type RestrictionsConfig } from "./restrictions/index.js";
import type { CheckName, EngineResult, Finding, RepoFiles } from "./types.js";

/** The `checks` section of .github/iact.yml, as the engines take it. */
export interface ChecksConfig {
  restrictions: RestrictionsConfig;
  docs: DocsConfig;
  /** Files over this many bytes get one `too-large` notice instead of being parsed. */
  maxFileBytes?: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.path, b.path) ||
    a.startLine - b.startLine ||
    (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
    compareText(a.ruleId, b.ruleId)
  );
}

/** Runs the engine of `check` on `files`. */
export async function runEngine(check: CheckName, files: RepoFiles, config: ChecksConfig): Promise<EngineResult> {
  const gated = gateFiles(files, config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const result =
    check === "restrictions" ? await runRestrictions(gated, config.restrictions) : await runDocs(gated, config.docs);
  if (gated.findings.length === 0) return result;
  return { rules: result.rules, findings: [...result.findings, ...gated.findings].sort(compareFindings) };
}
