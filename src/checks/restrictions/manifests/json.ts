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
  /**
   * The document as far as it was read before the error: every container
   * open at the error, holding the entries and items that were complete.
   * A reader may check these and say that the rest was not checked.
   */
  partial?: JsonNode;

  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 256;

export function parseJson(source: string): JsonNode {
  const text = source.startsWith("\uFEFF") ? source.slice(1) : source;
  const index = new LineIndex(text);
  let i = 0;
  let depth = 0;

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
  if (i < text.length) {
    try {
      fail(`unexpected ${describe()} after the JSON value`);
    } catch (error) {
      if (error instanceof JsonSyntaxError) error.partial = root;
      throw error;
    }
  }
  return root;

  /** Runs `read` for the container `node`; an error inside leaves `node` (with what was complete) as the partial document. */
  function within<T>(node: JsonNode, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof JsonSyntaxError) error.partial = node;
      throw error;
    }
  }

  /** parseValue(), and on an error inside a container value, `keep` that container's partial copy before passing the error on. */
  function parseValueKeepingPartial(keep: (partial: JsonNode) => void): JsonNode {
    try {
      return parseValue();
    } catch (error) {
      if (error instanceof JsonSyntaxError && error.partial) keep(error.partial);
      throw error;
    }
  }

  function parseValue(): JsonNode {
    skipWhitespace();
    const at = index.position(i);
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      // A manifest is never this deep; refusing here gives a located error instead of a stack overflow.
      if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
      depth += 1;
      const node = ch === "{" ? parseObject(at) : parseArray(at);
      depth -= 1;
      return node;
    }
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
    const node: JsonNode = { type: "object", entries, ...at };
    return within(node, () => {
      skipWhitespace();
      if (text[i] === "}") {
        i++;
        return node;
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
        const entry = (value: JsonNode): JsonEntry => ({ key, keyLine: keyAt.line, keyColumn: keyAt.column, keyEndColumn: keyEnd.column, value });
        const value = parseValueKeepingPartial((partial) => entries.push(entry(partial)));
        entries.push(entry(value));
        skipWhitespace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return node;
        }
        fail(`unexpected ${describe()}, expected "," or "}"`);
      }
    });
  }

  function parseArray(at: Position): JsonNode {
    i++;
    const items: JsonNode[] = [];
    const node: JsonNode = { type: "array", items, ...at };
    return within(node, () => {
      skipWhitespace();
      if (text[i] === "]") {
        i++;
        return node;
      }
      for (;;) {
        items.push(parseValueKeepingPartial((partial) => items.push(partial)));
        skipWhitespace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return node;
        }
        fail(`unexpected ${describe()}, expected "," or "]"`);
      }
    });
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
