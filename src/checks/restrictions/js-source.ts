// Blanks comments, string/template text and regular expression literal
// bodies in JavaScript/TypeScript source so that custom `forbidden-pattern`
// rules see only code. Template literal substitutions (`${...}`) are code and
// stay.

import { blank, normaliseNewlines } from "./python-lexer.js";

// After these keywords a `/` starts a regular expression, not a division.
const REGEX_AFTER_WORDS = new Set([
  "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
]);

export function blankJavaScript(source: string): string {
  const text = normaliseNewlines(source);
  const chars = text.split("");
  // Each entry is the brace depth at which a template substitution was opened.
  const templateStack: number[] = [];
  let braceDepth = 0;
  let previousSignificant = "";
  let previousWord = "";
  let i = 0;

  while (i < text.length) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (ch === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      blank(chars, i, stop);
      i = stop;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(chars, i, stop);
      i = stop;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = scanQuoted(i + 1, ch);
      blank(chars, i + 1, Math.max(i + 1, end - 1));
      i = end;
      previousSignificant = ch;
      continue;
    }
    if (ch === "`") {
      i = scanTemplate(i + 1);
      previousSignificant = "`";
      continue;
    }
    if (ch === "}" && templateStack.length > 0 && templateStack[templateStack.length - 1] === braceDepth) {
      templateStack.pop();
      i = scanTemplate(i + 1);
      previousSignificant = "`";
      continue;
    }
    if (ch === "/" && regexAllowed()) {
      i = scanRegex(i + 1);
      previousSignificant = "/regex";
      continue;
    }
    if (/[A-Za-z_$\d]/.test(ch)) {
      let end = i + 1;
      while (end < text.length && /[\w$]/.test(text[end] as string)) end++;
      previousWord = text.slice(i, end);
      previousSignificant = "word";
      i = end;
      continue;
    }
    if (ch === "{") braceDepth++;
    if (ch === "}") braceDepth = Math.max(0, braceDepth - 1);
    if (!/\s/.test(ch)) previousSignificant = ch;
    i++;
  }
  return chars.join("");

  function regexAllowed(): boolean {
    if (previousSignificant === "word") return REGEX_AFTER_WORDS.has(previousWord);
    return !(previousSignificant === ")" || previousSignificant === "]" || previousSignificant === "'" ||
      previousSignificant === '"' || previousSignificant === "`" || previousSignificant === "/regex");
  }

  function scanQuoted(from: number, quote: string): number {
    let j = from;
    while (j < text.length) {
      const c = text[j];
      if (c === "\\") j += 2;
      else if (c === quote) return j + 1;
      else if (c === "\n") return j;
      else j++;
    }
    return text.length;
  }

  /** Blanks template text from `from` up to the closing backtick or the next `${`. */
  function scanTemplate(from: number): number {
    let j = from;
    while (j < text.length) {
      const c = text[j];
      if (c === "\\") {
        j += 2;
        continue;
      }
      if (c === "`") {
        blank(chars, from, j);
        return j + 1;
      }
      if (c === "$" && text[j + 1] === "{") {
        blank(chars, from, j);
        templateStack.push(braceDepth);
        return j + 2;
      }
      j++;
    }
    blank(chars, from, text.length);
    return text.length;
  }

  function scanRegex(from: number): number {
    let j = from;
    let inClass = false;
    while (j < text.length) {
      const c = text[j];
      if (c === "\\") j += 2;
      else if (c === "\n") return j;
      else if (c === "[") {
        inClass = true;
        j++;
      } else if (c === "]") {
        inClass = false;
        j++;
      }
      else if (c === "/" && !inClass) {
        blank(chars, from, j);
        j++;
        while (j < text.length && /[a-z]/i.test(text[j] as string)) j++;
        return j;
      } else j++;
    }
    return text.length;
  }
}
