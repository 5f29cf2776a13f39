// A strict JSON parser that keeps the position of every key and value, so a
// finding can point at the line of `"redis": "^4"` and a syntax error at the
// line where it happens (JSON.parse gives neither reliably).

import { LineIndex } from "../python-lexer.js";

interface Position {
  line: number;
  column: number;
}

export type JsonNode =
  | ({ type: "object"; entries: JsonEntry[] } & Position)
  | ({ type: "array"; items: JsonNode[] } & Position)
  | ({ type: "string"; value: string; endColumn: number } & Position)
  | ({ type: "number"; value: number } & Position)
  | ({ type: "boolean"; value: boolean } & Position)
  | ({ type: "null" } & Position);

export interface JsonEntry {
  key: string;
  keyLine: number;
  keyColumn: number;
  keyEndColumn: number;
  value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

export function parseJson(source: string): JsonNode {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const index = new LineIndex(text);
  let i = 0;

  const fail = (message: string, at = i): never => {
    const position = index.position(Math.min(at, text.length));
    throw new JsonSyntaxError(message, position.line, position.column);
  };
  const skipWhitespace = (): void => {
    while (i < text.length && /[ \t\n\r]/.test(text[i] as string)) i++;
  };
  const describe = (): string => (i >= text.length ? "end of file" : JSON.stringify(text[i]));

  skipWhitespace();
  const root = parseValue();
  skipWhitespace();
  if (i < text.length) fail(`unexpected ${describe()} after the JSON value`);
  return root;

  function parseValue(): JsonNode {
    skipWhitespace();
    const at = index.position(i);
    const ch = text[i];
    if (ch === "{") return parseObject(at);
    if (ch === "[") return parseArray(at);
    if (ch === '"') {
      const value = parseString();
      return { type: "string", value, ...at, endColumn: index.position(i).column };
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) return fail(`unexpected ${describe()}, expected a value`);
    i += literal[0].length;
    if (literal[0] === "true" || literal[0] === "false") return { type: "boolean", value: literal[0] === "true", ...at };
    if (literal[0] === "null") return { type: "null", ...at };
    return { type: "number", value: Number(literal[0]), ...at };
  }

  function parseObject(at: Position): JsonNode {
    i++;
    const entries: JsonEntry[] = [];
    skipWhitespace();
    if (text[i] === "}") {
      i++;
      return { type: "object", entries, ...at };
    }
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') fail(`unexpected ${describe()}, expected a property name in double quotes`);
      const keyAt = index.position(i);
      const key = parseString();
      const keyEnd = index.position(i);
      skipWhitespace();
      if (text[i] !== ":") fail(`unexpected ${describe()}, expected ":" after property "${key}"`);
      i++;
      const value = parseValue();
      entries.push({ key, keyLine: keyAt.line, keyColumn: keyAt.column, keyEndColumn: keyEnd.column, value });
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return { type: "object", entries, ...at };
      }
      fail(`unexpected ${describe()}, expected "," or "}"`);
    }
  }

  function parseArray(at: Position): JsonNode {
    i++;
    const items: JsonNode[] = [];
    skipWhitespace();
    if (text[i] === "]") {
      i++;
      return { type: "array", items, ...at };
    }
    for (;;) {
      items.push(parseValue());
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return { type: "array", items, ...at };
      }
      fail(`unexpected ${describe()}, expected "," or "]"`);
    }
  }

  function parseString(): string {
    const start = i;
    i++;
    let value = "";
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return value;
      }
      if (ch === "\n" || ch < " ") fail("unterminated string or control character in string");
      if (ch === "\\") {
        const escape = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (escape !== undefined && simple[escape] !== undefined) {
          value += simple[escape];
          i += 2;
          continue;
        }
        const unicode = /^u[0-9a-fA-F]{4}/.exec(text.slice(i + 1, i + 6));
        if (unicode) {
          value += String.fromCharCode(parseInt(unicode[0].slice(1), 16));
          i += 6;
          continue;
        }
        fail(`invalid escape "\\${escape ?? ""}" in string`);
      }
      value += ch;
      i++;
    }
    return fail("unterminated string", start);
  }
}
