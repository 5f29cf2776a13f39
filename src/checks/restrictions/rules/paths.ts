// Custom forbidden-pattern, required-path and forbidden-path rules.

import type { FindingLevel, RuleDescription } from "../../types.js";
import { globMatcher, type RuleContext } from "../context.js";
import { blankJavaScript } from "../js-source.js";
import { blankPython, LineIndex, normaliseNewlines } from "../python-lexer.js";

export const DEFAULT_PATTERN_PATHS: Record<"python" | "javascript", string[]> = {
  python: ["**/*.py"],
  javascript: ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"],
};

/** Findings per file are capped so one runaway pattern cannot flood the check run. */
const MAX_MATCHES_PER_FILE = 100;

/** Where the reporter shows findings about the whole repository (a missing path). */
export const CONFIG_PATH = ".github/iact.yml";

export async function checkForbiddenPattern(
  context: RuleContext,
  rule: RuleDescription,
  level: FindingLevel,
  paths: readonly string[],
  pattern: string,
  flags: string,
  language: "python" | "javascript" | "any",
  message: string,
): Promise<void> {
  for (const path of paths) {
    const text = await context.read(path);
    if (text === undefined) continue;
    const code =
      language === "python" ? blankPython(text) : language === "javascript" ? blankJavaScript(text) : normaliseNewlines(text);
    const index = new LineIndex(code);
    const regex = new RegExp(pattern, `gu${flags}`);
    let count = 0;
    for (let match = regex.exec(code); match !== null; match = regex.exec(code)) {
      if (match[0] === "") {
        regex.lastIndex++;
        continue;
      }
      const start = index.position(match.index);
      const end = index.position(match.index + match[0].length);
      context.report(rule, level, {
        path,
        startLine: start.line,
        endLine: end.line,
        startColumn: start.column,
        endColumn: end.column,
        message: `${message} (matched ${JSON.stringify(match[0].length > 80 ? `${match[0].slice(0, 77)}...` : match[0])})`,
      });
      if (++count >= MAX_MATCHES_PER_FILE) break;
    }
  }
}

export function checkRequiredPaths(context: RuleContext, rule: RuleDescription, level: FindingLevel, globs: readonly string[], ignore: readonly string[], message: string): void {
  for (const glob of globs) {
    if (context.select([glob], ignore).length > 0) continue;
    context.report(rule, level, { path: CONFIG_PATH, startLine: 1, message: `No file matches "${glob}": ${message}` });
  }
}

export function checkForbiddenPaths(context: RuleContext, rule: RuleDescription, level: FindingLevel, globs: readonly string[], ignore: readonly string[], message: string): void {
  const forbidden = globMatcher(globs);
  for (const path of context.select(forbidden, ignore)) {
    context.report(rule, level, { path, startLine: 1, message: `${path} must not exist: ${message}` });
  }
}
