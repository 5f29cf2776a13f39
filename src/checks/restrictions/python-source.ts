// Statement-level helpers on top of the Python lexer: simple statements,
// `NAME = value` assignments (as Django settings modules write them) and the
// static value of a literal expression.

import { codeTokens, lexPython, type PyLexResult, type PyToken } from "./python-lexer.js";

export interface PythonSource {
  path: string;
  lex: PyLexResult;
  /** Code tokens (no comments), each simple statement separately. */
  statements: PyToken[][];
}

const COMPOUND_KEYWORDS = new Set([
  "if", "elif", "else", "try", "except", "finally", "with", "for", "while", "def", "class", "async", "match", "case",
]);

export function parsePython(path: string, text: string): PythonSource {
  const lex = lexPython(text);
  return { path, lex, statements: splitStatements(codeTokens(lex)) };
}

/** Splits code tokens into simple statements: at logical newlines, `;`, and after a compound header's `:`. */
export function splitStatements(tokens: readonly PyToken[]): PyToken[][] {
  const statements: PyToken[][] = [];
  let current: PyToken[] = [];
  const flush = (): void => {
    if (current.length > 0) statements.push(current);
    current = [];
  };
  for (const token of tokens) {
    if (token.kind === "newline") {
      flush();
      continue;
    }
    if (token.kind === "op" && token.depth === 0 && token.text === ";") {
      flush();
      continue;
    }
    current.push(token);
    const first = current[0] as PyToken;
    if (
      token.kind === "op" &&
      token.text === ":" &&
      token.depth === 0 &&
      first.kind === "name" &&
      COMPOUND_KEYWORDS.has(first.text)
    ) {
      flush();
    }
  }
  flush();
  return statements;
}

export interface Assignment {
  /** The assigned name, e.g. "SESSION_ENGINE". */
  name: string;
  target: PyToken;
  /** Tokens of the assigned expression. */
  value: PyToken[];
  /** The whole statement. */
  statement: PyToken[];
}

/**
 * Plain-name assignments: `NAME = value`, `NAME: type = value`, `A = B = value`.
 * Augmented (`+=`) and subscript targets are not assignments of the name.
 */
export function findAssignments(source: PythonSource, names?: ReadonlySet<string>): Assignment[] {
  const assignments: Assignment[] = [];
  for (const statement of source.statements) {
    const equals = statement.flatMap((token, position) =>
      token.kind === "op" && token.text === "=" && token.depth === 0 ? [position] : [],
    );
    const lastEquals = equals[equals.length - 1];
    if (lastEquals === undefined) continue;
    const value = statement.slice(lastEquals + 1);
    let targetStart = 0;
    for (const position of equals) {
      const target = statement.slice(targetStart, position);
      targetStart = position + 1;
      const name = target[0];
      if (!name || name.kind !== "name") continue;
      const annotated = target.length > 2 && target[1]?.kind === "op" && target[1].text === ":";
      if (target.length !== 1 && !annotated) continue;
      if (names && !names.has(name.text)) continue;
      assignments.push({ name: name.text, target: name, value, statement });
    }
  }
  return assignments;
}

export type StaticValue =
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "expression" };

/** The value of a literal expression: strings (implicitly concatenated), numbers, True/False/None. */
export function staticValue(tokens: readonly PyToken[]): StaticValue {
  let inner = [...tokens];
  while (
    inner.length >= 2 &&
    inner[0]?.text === "(" &&
    inner[inner.length - 1]?.text === ")" &&
    inner[0].kind === "op" &&
    closesAt(inner, 0) === inner.length - 1
  ) {
    inner = inner.slice(1, -1);
  }
  if (inner.length === 0) return { kind: "expression" };
  if (inner.every((token) => token.kind === "string")) {
    if (inner.some((token) => token.prefix?.includes("f") || token.prefix?.includes("t"))) return { kind: "expression" };
    return { kind: "literal", value: inner.map((token) => token.value ?? "").join("") };
  }
  if (inner.length === 1) {
    const token = inner[0] as PyToken;
    if (token.kind === "name" && token.text === "True") return { kind: "literal", value: true };
    if (token.kind === "name" && token.text === "False") return { kind: "literal", value: false };
    if (token.kind === "name" && token.text === "None") return { kind: "literal", value: null };
    if (token.kind === "number") return numberValue(token.text);
  }
  if (inner.length === 2 && inner[0]?.kind === "op" && (inner[0].text === "-" || inner[0].text === "+") && inner[1]?.kind === "number") {
    const number = numberValue(inner[1].text);
    if (number.kind === "literal" && typeof number.value === "number") {
      return { kind: "literal", value: inner[0].text === "-" ? -number.value : number.value };
    }
  }
  return { kind: "expression" };
}

function numberValue(text: string): StaticValue {
  const clean = text.replace(/_/g, "");
  if (/[jJ]$/.test(clean)) return { kind: "expression" };
  const value = /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : Number(clean);
  return Number.isNaN(value) ? { kind: "expression" } : { kind: "literal", value };
}

function closesAt(tokens: readonly PyToken[], open: number): number {
  let nesting = 0;
  for (let k = open; k < tokens.length; k++) {
    const token = tokens[k] as PyToken;
    if (token.kind !== "op") continue;
    if (token.text === "(" || token.text === "[" || token.text === "{") nesting++;
    if (token.text === ")" || token.text === "]" || token.text === "}") {
      nesting--;
      if (nesting === 0) return k;
    }
  }
  return -1;
}

/** Renders a static value the way Python would write it, for messages. */
export function pythonRepr(value: string | number | boolean | null): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** The source text of a token range, for messages. */
export function sourceText(tokens: readonly PyToken[]): string {
  let out = "";
  let previous: PyToken | undefined;
  for (const token of tokens) {
    if (previous && (previous.endLine !== token.line || previous.endColumn !== token.column)) out += " ";
    out += token.text;
    previous = token;
  }
  return out.length > 120 ? `${out.slice(0, 117)}...` : out;
}
