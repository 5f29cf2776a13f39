// A small Python tokenizer: enough to tell code from comments and string
// literals, which is what separates a real `send_mail(...)` call from the
// word "send_mail" in a docstring. It does not build an AST and it never
// throws: malformed input (an unterminated string) is reported in `errors`
// and lexing carries on from the next line.

export type PyTokenKind = "name" | "number" | "string" | "op" | "newline" | "comment";

export interface PyToken {
  kind: PyTokenKind;
  /** Source text of the token (for strings: prefix and quotes included). */
  text: string;
  /** Strings only: the literal's value (escapes decoded unless raw; f-strings keep their raw body). */
  value?: string;
  /** Strings only: the lower-case prefix, e.g. "", "r", "rb", "f". */
  prefix?: string;
  /** 1-based position of the first character; end is exclusive. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Bracket nesting depth before the token. */
  depth: number;
  /** Offsets in the source with line endings normalised to "\n"; end is exclusive. */
  start: number;
  end: number;
}

export interface LexError {
  line: number;
  column: number;
  message: string;
}

export interface PyLexResult {
  tokens: PyToken[];
  errors: LexError[];
}

const STRING_PREFIXES = new Set(["r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt"]);

// Longest first so that "**=" wins over "**" and "*".
const OPERATORS = [
  "**=", "//=", ">>=", "<<=", "...", "!=", "==", "<=", ">=", "->", ":=", "+=", "-=", "*=", "/=",
  "%=", "&=", "|=", "^=", "@=", "**", "//", "<<", ">>",
];

const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/y;

/** Maps string offsets to 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === "\n") this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }
}

/** Line endings as the lexer sees them (token offsets refer to this text). */
export function normaliseNewlines(source: string): string {
  return source.replace(/\r\n?/g, "\n");
}

export function lexPython(source: string): PyLexResult {
  const text = normaliseNewlines(source);
  const index = new LineIndex(text);
  const tokens: PyToken[] = [];
  const errors: LexError[] = [];
  let depth = 0;
  let i = 0;

  const push = (kind: PyTokenKind, start: number, end: number, extra: Partial<PyToken> = {}): void => {
    const from = index.position(start);
    const to = index.position(end);
    tokens.push({
      kind,
      text: text.slice(start, end),
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      depth,
      start,
      end,
      ...extra,
    });
  };
  const error = (offset: number, message: string): void => {
    const at = index.position(offset);
    errors.push({ line: at.line, column: at.column, message });
  };

  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "\n") {
      // A newline outside brackets ends the logical line, unless the line held only comments.
      const code = lastCode(tokens);
      if (depth === 0 && code && code.kind !== "newline") push("newline", i, i + 1);
      i++;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\f") {
      i++;
      continue;
    }
    if (ch === "\\" && text[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (ch === "#") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      push("comment", i, stop);
      i = stop;
      continue;
    }
    if (ch === "'" || ch === '"') {
      i = scanString(i, "");
      continue;
    }
    if (NAME_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && NAME_CONTINUE.test(text[end] as string)) end++;
      const word = text.slice(i, end);
      const next = text[end];
      if ((next === "'" || next === '"') && STRING_PREFIXES.has(word.toLowerCase())) {
        i = scanString(i, word.toLowerCase());
        continue;
      }
      push("name", i, end);
      i = end;
      continue;
    }
    if (/\d/.test(ch) || (ch === "." && /\d/.test(text[i + 1] ?? ""))) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      const end = match ? i + match[0].length : i + 1;
      push("number", i, end);
      i = end;
      continue;
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i)) ?? ch;
    if (operator === "(" || operator === "[" || operator === "{") {
      push("op", i, i + 1);
      depth++;
    } else if (operator === ")" || operator === "]" || operator === "}") {
      depth = Math.max(0, depth - 1);
      push("op", i, i + 1);
    } else {
      push("op", i, i + operator.length);
    }
    i += operator.length;
  }
  const last = lastCode(tokens);
  if (last && last.kind !== "newline") push("newline", text.length, text.length);
  return { tokens, errors };

  /** Scans a string literal starting at `start` (its prefix included); returns the offset after it. */
  function scanString(start: number, prefix: string): number {
    const quoteAt = start + prefix.length;
    const quote = text[quoteAt] as string;
    const triple = text.startsWith(quote.repeat(3), quoteAt);
    const bodyStart = quoteAt + (triple ? 3 : 1);
    const result = scanBody(bodyStart, quote, triple, prefix.includes("f") || prefix.includes("t"));
    const raw = prefix.includes("r");
    const body = text.slice(bodyStart, result.bodyEnd);
    const formatted = prefix.includes("f") || prefix.includes("t");
    push("string", start, result.end, {
      prefix,
      value: raw || formatted ? body : decodeEscapes(body),
    });
    return result.end;
  }

  /** Finds the closing quote; f-strings' replacement fields may nest strings. */
  function scanBody(from: number, quote: string, triple: boolean, formatted: boolean): { bodyEnd: number; end: number } {
    const closer = triple ? quote.repeat(3) : quote;
    let j = from;
    while (j < text.length) {
      const c = text[j] as string;
      if (c === "\\") {
        j += 2;
        continue;
      }
      if (text.startsWith(closer, j)) return { bodyEnd: j, end: j + closer.length };
      if (c === "\n" && !triple) {
        error(from, "unterminated string literal");
        return { bodyEnd: j, end: j };
      }
      if (formatted && c === "{") {
        if (text[j + 1] === "{") {
          j += 2;
          continue;
        }
        j = scanReplacementField(j + 1, quote, triple);
        continue;
      }
      j++;
    }
    error(from, triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
    return { bodyEnd: text.length, end: text.length };
  }

  /** Skips an f-string `{expression!conversion:format}` field; returns the offset after its `}`. */
  function scanReplacementField(from: number, quote: string, triple: boolean): number {
    let nesting = 0;
    let inFormatSpec = false;
    let j = from;
    while (j < text.length) {
      const c = text[j] as string;
      if (!inFormatSpec && (c === "'" || c === '"')) {
        // Python 3.12 allows the outer quote inside the field; older code uses the other one.
        const innerTriple = text.startsWith(c.repeat(3), j);
        const inner = scanBody(j + (innerTriple ? 3 : 1), c, innerTriple, false);
        j = inner.end;
        continue;
      }
      if (!inFormatSpec && c === "#") {
        const end = text.indexOf("\n", j);
        j = end === -1 ? text.length : end;
        continue;
      }
      if (c === "{") {
        nesting++;
      } else if (c === "}") {
        if (nesting === 0) return j + 1;
        nesting--;
      } else if (!inFormatSpec && nesting === 0 && (c === "(" || c === "[")) {
        nesting++;
      } else if (!inFormatSpec && (c === ")" || c === "]")) {
        nesting = Math.max(0, nesting - 1);
      } else if (!inFormatSpec && nesting === 0 && c === ":" && text[j + 1] !== "=") {
        inFormatSpec = true;
      } else if (!triple && text.startsWith(quote, j) && inFormatSpec) {
        return j;
      }
      j++;
    }
    return j;
  }
}

function lastCode(tokens: readonly PyToken[]): PyToken | undefined {
  for (let k = tokens.length - 1; k >= 0; k--) {
    const token = tokens[k] as PyToken;
    if (token.kind !== "comment") return token;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\n": "",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** Decodes Python escape sequences; unknown escapes stay as written, like Python does. */
export function decodeEscapes(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (whole, escape: string) => {
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) return simple;
    if (/^[xuU]/.test(escape)) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    if (/^[0-7]/.test(escape)) return String.fromCodePoint(parseInt(escape, 8));
    return whole;
  });
}

/** Tokens without comments: what the rules look at. */
export function codeTokens(result: PyLexResult): PyToken[] {
  return result.tokens.filter((token) => token.kind !== "comment");
}

/**
 * The source with comments and the bodies of string literals replaced by
 * spaces (newlines kept), so that a regular expression sees only code at the
 * original lines and columns. Quotes and prefixes stay: `print("x")` still
 * reads `print(" ")`.
 */
export function blankPython(source: string): string {
  const text = normaliseNewlines(source);
  const chars = text.split("");
  for (const token of lexPython(text).tokens) {
    if (token.kind === "comment") blank(chars, token.start, token.end);
    if (token.kind === "string") {
      const quoteAt = token.start + (token.prefix?.length ?? 0);
      const quote = text[quoteAt] ?? '"';
      const triple = text.startsWith(quote.repeat(3), quoteAt) && token.end - quoteAt >= 6;
      const width = triple ? 3 : 1;
      const closed = text.startsWith(quote.repeat(width), token.end - width) && token.end - width > quoteAt;
      blank(chars, quoteAt + width, closed ? token.end - width : token.end);
    }
  }
  return chars.join("");
}

export function blank(chars: string[], from: number, to: number): void {
  for (let k = from; k < to; k++) {
    if (chars[k] !== "\n") chars[k] = " ";
  }
}
