// One entry point for the rule engines, so the check-run runner (GitHub) and
// `iact-bot check` (a local folder) pick the engine of a check the same way.
// Every file an engine reads passes the file gate (size, binary, UTF-8) first.
import { runDocs, type DocsConfig } from "./docs/index.js";
import { DEFAULT_MAX_FILE_BYTES, gateFiles } from "./file-gate.js";
import { runRestrictions, type RestrictionsConfig } from "./restrictions/index.js";
import { defaultSecurityConfig, runSecurity, type SecurityConfig } from "./security/index.js";
import { compareFindings } from "./sort-findings.js";
import type { CheckName, EngineResult, RepoFiles } from "./types.js";

/** The `checks` section of .github/iact.yml, as the engines take it. */
export interface ChecksConfig {
  restrictions: RestrictionsConfig;
  docs: DocsConfig;
  /** Defaults (every rule on) when a caller built this before the security check existed. */
  security?: SecurityConfig;
  /** Files over this many bytes get one `too-large` notice instead of being parsed. */
  maxFileBytes?: number;
}

const ENGINES: Record<CheckName, (files: RepoFiles, config: ChecksConfig) => Promise<EngineResult>> = {
  restrictions: (files, config) => runRestrictions(files, config.restrictions),
  docs: (files, config) => runDocs(files, config.docs),
  security: (files, config) => runSecurity(files, config.security ?? defaultSecurityConfig),
};

/** Runs the engine of `check` on `files`. */
export async function runEngine(check: CheckName, files: RepoFiles, config: ChecksConfig): Promise<EngineResult> {
  const gated = gateFiles(files, config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const result = await ENGINES[check](gated, config);
  if (gated.findings.length === 0) return result;
  return { rules: result.rules, findings: [...result.findings, ...gated.findings].sort(compareFindings) };
}
