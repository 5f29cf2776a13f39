// What every rule gets: the files (read once, parsed once), path selection
// by globs, and a place to put findings.

import picomatch from "picomatch";
import type { Finding, FindingLevel, RepoFiles, RuleDescription } from "../types.js";
import { fileErrorFinding } from "../file-gate.js";
import type { RestrictionsConfig } from "./config.js";
import { parsePython, type PythonSource } from "./python-source.js";
import { PYTHON_PARSE_ERROR } from "./rules.js";

export type Matcher = (path: string) => boolean;

export function globMatcher(globs: readonly string[]): Matcher {
  if (globs.length === 0) return () => false;
  return picomatch([...globs], { dot: true });
}

export class RuleContext {
  readonly findings: Finding[] = [];
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly pythonSources = new Map<string, Promise<PythonSource | undefined>>();
  private readonly ignored: Matcher;

  constructor(
    readonly files: RepoFiles,
    /** Only `ignore` is read, so the security engine shares this context. */
    readonly config: Pick<RestrictionsConfig, "ignore">,
  ) {
    this.ignored = globMatcher(config.ignore);
  }

  /** Repository paths matching any of `globs`, minus the section's and the rule's ignore globs. */
  select(globs: readonly string[] | Matcher, ruleIgnore: readonly string[] = []): string[] {
    const wanted = typeof globs === "function" ? globs : globMatcher(globs);
    const ruleIgnored = globMatcher(ruleIgnore);
    return this.files.paths.filter((path) => wanted(path) && !this.ignored(path) && !ruleIgnored(path));
  }

  read(path: string): Promise<string | undefined> {
    let text = this.texts.get(path);
    if (!text) {
      text = this.files.read(path);
      this.texts.set(path, text);
    }
    return text;
  }

  /** A parsed Python file; lexing problems are reported once, as python-parse-error warnings. */
  python(path: string): Promise<PythonSource | undefined> {
    let source = this.pythonSources.get(path);
    if (!source) {
      source = this.read(path).then((text) => {
        if (text === undefined) return undefined;
        let parsed: PythonSource;
        try {
          parsed = parsePython(path, text);
        } catch (error) {
          // One file's failure is that file's finding, never the run's.
          this.findings.push(fileErrorFinding(path, error));
          return undefined;
        }
        for (const error of parsed.lex.errors) {
          this.report(PYTHON_PARSE_ERROR, "warning", {
            path,
            startLine: error.line,
            startColumn: error.column,
            message: `${error.message}; the rest of the line is read as code, so findings near it may be wrong.`,
          });
        }
        return parsed;
      });
      this.pythonSources.set(path, source);
    }
    return source;
  }

  report(
    rule: RuleDescription,
    level: FindingLevel,
    at: { path: string; startLine: number; endLine?: number; startColumn?: number; endColumn?: number; message: string },
  ): void {
    const endLine = Math.max(at.endLine ?? at.startLine, at.startLine);
    const finding: Finding = {
      ruleId: rule.id,
      level,
      path: at.path,
      startLine: at.startLine,
      endLine,
      message: at.message,
      title: rule.title,
    };
    if (at.startColumn !== undefined && endLine === at.startLine) {
      finding.startColumn = at.startColumn;
      finding.endColumn = Math.max(at.endColumn ?? at.startColumn, at.startColumn);
    }
    this.findings.push(finding);
  }
}

const SEVERITY: Record<FindingLevel, number> = { notice: 0, warning: 1, failure: 2 };

/** The milder of two levels: "cannot verify" findings never exceed a warning. */
export function milder(a: FindingLevel, b: FindingLevel): FindingLevel {
  return SEVERITY[a] <= SEVERITY[b] ? a : b;
}
