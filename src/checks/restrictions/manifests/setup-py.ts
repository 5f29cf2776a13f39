// setup.py: the requirements a setuptools `setup(...)` call declares in
// `install_requires`, `extras_require`, `setup_requires` and
// `tests_require`, read from the tokens (setup.py is code and is never run).
//
// A keyword's value is read when it is a literal list, tuple or dict of
// string literals, or a plain name assigned such a literal at the top level
// of the file (`REQUIRES = [...]`, `install_requires=REQUIRES`). Anything
// else (a function that reads requirements.txt, a comprehension) is not
// evaluated: the requirements files such code reads are checked as
// requirements files by name. A value that cannot be read is reported, so
// nothing is skipped silently.
import { findAssignments, type PythonSource } from "../python-source.js";
import type { PyToken } from "../python-lexer.js";
import { parseRequirement } from "./pep508.js";
import type { ManifestResult } from "./types.js";

const REQUIREMENT_KEYWORDS = new Set(["install_requires", "extras_require", "setup_requires", "tests_require"]);
const OPENERS: Record<string, string> = { "[": "]", "(": ")", "{": "}" };

/** The tokens of the bracketed literal starting at `tokens[start]`, brackets included; undefined when it is not one. */
function bracketed(tokens: readonly PyToken[], start: number): PyToken[] | undefined {
  const open = tokens[start];
  if (!open || open.kind !== "op" || !(open.text in OPENERS)) return undefined;
  for (let index = start + 1; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (token.kind === "op" && token.depth === open.depth && token.text === OPENERS[open.text]) return tokens.slice(start, index + 1);
  }
  return undefined;
}

/**
 * The requirement strings of a literal: every string literal that is not a
 * dict key, when the literal holds nothing but strings, names of lists
 * (none), brackets, commas and colons. Undefined when it holds anything else.
 */
function requirementStrings(literal: readonly PyToken[]): PyToken[] | undefined {
  const strings: PyToken[] = [];
  for (let index = 0; index < literal.length; index += 1) {
    const token = literal[index]!;
    if (token.kind === "op" && ["[", "]", "(", ")", "{", "}", ",", ":"].includes(token.text)) continue;
    // Adjacent literals ("redis" "-py") are one string in Python: not worth guessing, refuse.
    if (token.kind !== "string" || token.prefix?.includes("f") || token.prefix?.includes("b")) return undefined;
    const next = literal[index + 1];
    if (next?.kind === "op" && next.text === ":") continue; // a dict key (an extra's name)
    strings.push(token);
  }
  return strings;
}

export function parseSetupPy(source: PythonSource): ManifestResult {
  const result: ManifestResult = { dependencies: [], problems: [] };
  const tokens = source.statements.flat();
  const topLevelLiterals = new Map<string, PyToken[]>();
  for (const assignment of findAssignments(source)) {
    const literal = bracketed(assignment.value, 0);
    if (literal && literal.length === assignment.value.length) topLevelLiterals.set(assignment.name, literal);
  }
  for (let index = 0; index < tokens.length; index += 1) {
    const keyword = tokens[index]!;
    const equals = tokens[index + 1];
    // A keyword argument: inside a call's brackets, NAME followed by a single "=".
    if (keyword.kind !== "name" || !REQUIREMENT_KEYWORDS.has(keyword.text) || keyword.depth === 0) continue;
    if (!equals || equals.kind !== "op" || equals.text !== "=") continue;
    const valueStart = tokens[index + 2];
    const literal =
      bracketed(tokens, index + 2) ??
      (valueStart?.kind === "name" && isWholeArgument(tokens, index + 2) ? topLevelLiterals.get(valueStart.text) : undefined);
    const strings = literal ? requirementStrings(literal) : undefined;
    if (!strings) {
      result.problems.push({
        path: source.path,
        line: keyword.line,
        column: keyword.column,
        message: `${keyword.text} is not a literal list of requirement strings`,
        consequence: "Its requirements were not checked for forbidden dependencies (requirements files it may read are checked by name).",
      });
      continue;
    }
    for (const string of strings) {
      const parsed = parseRequirement(string.value ?? "");
      if (!parsed.ok) {
        result.problems.push({ path: source.path, line: string.line, column: string.column, message: `${keyword.text}: cannot parse requirement: ${parsed.error}` });
        continue;
      }
      result.dependencies.push({
        ecosystem: "python",
        name: parsed.requirement.name,
        extras: parsed.requirement.extras,
        path: source.path,
        line: string.line,
        column: string.column,
        endColumn: string.endColumn,
        section: `setup(${keyword.text}=...)`,
      });
    }
  }
  return result;
}

/** Whether the token at `index` is the whole argument: followed by "," or the call's closing bracket. */
function isWholeArgument(tokens: readonly PyToken[], index: number): boolean {
  const next = tokens[index + 1];
  return next !== undefined && next.kind === "op" && (next.text === "," || next.text === ")");
}
