// Classes of a Python module, read from the restrictions' lexer statements:
// name, bases and the bodies of their methods. The lexer has no INDENT
// tokens, so a block is the run of statements indented deeper than its
// header, which is how Python itself delimits it.

import type { PyToken } from "../restrictions/python-lexer.js";
import type { PythonSource } from "../restrictions/python-source.js";

export interface PyMethod {
  name: string;
  header: PyToken[];
  /** Statements of the body, nested blocks included. */
  body: PyToken[][];
}

export interface PyClass {
  name: string;
  path: string;
  header: PyToken[];
  /** Each base as written, dotted: "models.Model", "AppendOnly". Keyword arguments (metaclass=) left out. */
  bases: string[];
  /** Methods defined directly in the class body, by name (the last definition wins, as in Python). */
  methods: Map<string, PyMethod>;
}

function column(statement: readonly PyToken[]): number {
  return statement[0]?.column ?? 1;
}

/** Statements after `start` indented deeper than `indent`. */
function blockAfter(statements: readonly PyToken[][], start: number, indent: number): PyToken[][] {
  const block: PyToken[][] = [];
  for (let k = start + 1; k < statements.length; k++) {
    const statement = statements[k] as PyToken[];
    if (column(statement) <= indent) break;
    block.push(statement);
  }
  return block;
}

function isHeader(statement: readonly PyToken[], keyword: string): boolean {
  const first = statement[0];
  if (first?.kind === "name" && first.text === "async") return statement[1]?.kind === "name" && statement[1].text === keyword;
  return first?.kind === "name" && first.text === keyword;
}

function headerName(statement: readonly PyToken[]): string | undefined {
  const at = statement[0]?.text === "async" ? 2 : 1;
  const name = statement[at];
  return name?.kind === "name" ? name.text : undefined;
}

/** The bases between the header's outer parentheses, split at top-level commas. */
function basesOf(header: readonly PyToken[]): string[] {
  const open = header.findIndex((token) => token.kind === "op" && token.text === "(");
  if (open === -1) return [];
  const depth = (header[open] as PyToken).depth + 1;
  const bases: string[] = [];
  let current: PyToken[] = [];
  const flush = () => {
    const keyword = current.length > 1 && current[1]?.kind === "op" && current[1].text === "=";
    const dotted = current.every((token) => token.kind === "name" || (token.kind === "op" && token.text === "."));
    if (current.length > 0 && !keyword && dotted) bases.push(current.map((token) => token.text).join(""));
    current = [];
  };
  for (const token of header.slice(open + 1)) {
    if (token.depth < depth) break;
    if (token.depth === depth && token.kind === "op" && token.text === ",") flush();
    else current.push(token);
  }
  flush();
  return bases;
}

export function findClasses(source: PythonSource): PyClass[] {
  const classes: PyClass[] = [];
  const { statements } = source;
  statements.forEach((statement, index) => {
    if (!isHeader(statement, "class")) return;
    const name = headerName(statement);
    if (name === undefined) return;
    const body = blockAfter(statements, index, column(statement));
    const methods = new Map<string, PyMethod>();
    const bodyIndent = body[0] ? column(body[0]) : 0;
    body.forEach((member, position) => {
      if (column(member) !== bodyIndent || !isHeader(member, "def")) return;
      const methodName = headerName(member);
      if (methodName !== undefined) methods.set(methodName, { name: methodName, header: member, body: blockAfter(body, position, bodyIndent) });
    });
    classes.push({ name, path: source.path, header: statement, bases: basesOf(statement), methods });
  });
  return classes;
}
