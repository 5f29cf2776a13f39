// Shared vocabulary of the rule engines (restrictions, docs, security) and of the
// check-run reporter. Engines are pure: they read files through RepoFiles and
// return findings; where the files come from (GitHub's API, a local checkout,
// a test table) is the caller's business.

/** GitHub's annotation levels; "failure" fails the check run. */
export type FindingLevel = "failure" | "warning" | "notice";

export interface Finding {
  /** Stable rule id, e.g. "no-redis-dependency"; links to the rule's docs. */
  ruleId: string;
  level: FindingLevel;
  /** Repository-relative path with forward slashes, no leading slash. */
  path: string;
  /** 1-based lines; endLine >= startLine. */
  startLine: number;
  endLine: number;
  /** 1-based columns, only meaningful when startLine === endLine. */
  startColumn?: number;
  endColumn?: number;
  /** Plain text (GitHub does not render markdown in annotations). */
  message: string;
  title?: string;
}

export interface RuleDescription {
  id: string;
  /** One line, e.g. "No Redis in dependencies". */
  title: string;
  /** Default level of the rule's findings. */
  level: FindingLevel;
  /** Anchor in docs/rules.md where the rule is documented, e.g. "no-redis-dependency". */
  docsAnchor: string;
}

/** The files of one commit of a repository. */
export interface RepoFiles {
  /** Every file (blob) path of the tree, forward slashes, sorted. */
  readonly paths: readonly string[];
  /**
   * Text of one file, or undefined when the path is not a file of the tree.
   * Implementations cache by content, so engines may call it freely, but they
   * should read only the files their rules need.
   */
  read(path: string): Promise<string | undefined>;
}

export interface EngineResult {
  /** Every rule the engine ran (also those without findings), for the summary table. */
  rules: RuleDescription[];
  findings: Finding[];
}

export type CheckName = "restrictions" | "docs" | "security";
