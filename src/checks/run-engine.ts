// One entry point for both rule engines, so the check-run runner (GitHub) and
// `iact-bot check` (a local folder) pick the engine of a check the same way.
import { runDocs, type DocsConfig } from "./docs/index.js";
import { runRestrictions, type RestrictionsConfig } from "./restrictions/index.js";
import type { CheckName, EngineResult, RepoFiles } from "./types.js";

/** The `checks` section of .github/iact.yml, as the engines take it. */
export interface ChecksConfig {
  restrictions: RestrictionsConfig;
  docs: DocsConfig;
}

/** Runs the engine of `check` on `files`. */
export function runEngine(check: CheckName, files: RepoFiles, config: ChecksConfig): Promise<EngineResult> {
  return check === "restrictions" ? runRestrictions(files, config.restrictions) : runDocs(files, config.docs);
}
