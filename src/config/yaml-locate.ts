// From a zod issue path to the line of the YAML that caused it: the file is
// parsed with `parseDocument` + `LineCounter`, so every node keeps its offset.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import type { z } from "zod";

export interface LocatedProblem {
  message: string;
  path: string;
  line?: number;
  column?: number;
  source?: string;
}

export interface YamlText {
  document: Document;
  lineCounter: LineCounter;
}

export type ParsedYaml =
  | { ok: true; value: unknown; document: YamlText }
  | { ok: false; problems: LocatedProblem[] };

export function parseYamlText(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const position = error.linePos?.[0];
        const firstLine = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
        return {
          message: `YAML syntax error: ${firstLine}`,
          path: "",
          ...(position ? { line: position.line, column: position.col } : {}),
        };
      }),
    };
  }
  return { ok: true, value: document.toJS(), document: { document, lineCounter } };
}

type IssuePath = readonly PropertyKey[];

interface Position {
  offset: number;
  /** How many path segments were found in the document. */
  depth: number;
}

function keyText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** The deepest node of `path` present in the document: a scalar points at its value, a collection at its key. */
export function locatePath(yaml: YamlText, path: IssuePath, options: { atKey?: boolean } = {}): Position | undefined {
  let node: unknown = yaml.document.contents;
  if (!node) return undefined;
  let offset = (node as Node).range?.[0] ?? 0;
  let depth = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      const last = depth === path.length - 1;
      if (isScalar(node) && node.range && !(last && options.atKey)) offset = node.range[0];
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (!item) break;
      node = item;
      offset = (item as Node).range?.[0] ?? offset;
    } else {
      break;
    }
    depth += 1;
  }
  return { offset, depth };
}

/** zod's "Invalid input" on a union says nothing; list what each alternative wanted. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const alternatives = issue.errors.map((branch) =>
      branch.map((inner) => (inner.path.length > 0 ? `${inner.path.join(".")}: ${describeIssue(inner)}` : describeIssue(inner))).join("; "),
    );
    return `invalid value: ${[...new Set(alternatives)].join(", or ")}`;
  }
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `required setting is missing (${issue.expected})`;
  return issue.message.replace(/^Invalid (input|option): /, "");
}

function dotted(path: IssuePath): string {
  return path.map(String).join(".");
}

/**
 * One problem per issue (per unknown key for `unrecognized_keys`), placed in
 * the document that holds the deepest part of its path. `documents` go from
 * highest priority (the repository's own file) to lowest; `sourceOf(index)`
 * names a document that is not the repository's own file.
 */
export function locateProblems(
  issues: readonly z.core.$ZodIssue[],
  documents: readonly YamlText[],
  sourceOf: (index: number) => string | undefined = () => undefined,
): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const place = (message: string, path: IssuePath, atKey = false) => {
    let best: { index: number; position: Position } | undefined;
    documents.forEach((document, index) => {
      const position = locatePath(document, path, { atKey });
      if (position && (!best || position.depth > best.position.depth)) best = { index, position };
    });
    const problem: LocatedProblem = { message, path: dotted(path) };
    if (best) {
      const { line, col } = documents[best.index]!.lineCounter.linePos(best.position.offset);
      problem.line = line;
      problem.column = col;
      const source = sourceOf(best.index);
      if (source) problem.source = source;
    }
    problems.push(problem);
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) place(`unknown setting "${key}"`, [...issue.path, key], true);
    } else {
      place(describeIssue(issue), issue.path);
    }
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
