// Where a Markdown file is cut into pieces; that each cut reads as the whole
// file does is proven in parse-markdown-equivalence.test.ts.
import { describe, expect, it } from "vitest";

import { pieceStarts } from "../../../src/checks/docs/markdown-chunks.js";

/** The first line of each piece after the first. */
const cutLines = (source: string) => pieceStarts(source, 1).slice(1).map((start) => source.slice(start).split("\n")[0]);

describe("pieceStarts cuts only where nothing runs on", () => {
  it.each([
    ["after a blank line, before an unindented line", "a\n\nb\n\n# c\n", ["b", "# c"]],
    ["not inside a paragraph", "a\nb\nc\n", []],
    ["not before an indented line, a digit or a byte order mark", "a\n\n  b\n\n1. c\n\n\uFEFFd\n", []],
    ["before a bullet item in column 1, blank line or not", "- a\n  - b\n- c\n\n* d\n", ["- c", "* d"]],
    ["not before a bullet without text", "a\n-\n- \n", []],
    ["not inside fenced code", "```\na\n\nb\n```\n\nc\n", ["c"]],
    ["not inside fenced code closed only by a long enough fence", "~~~~\na\n\n~~~\n\nb\n~~~~\n\nc\n", ["c"]],
    ["not inside an html comment or <pre>", "<!--\n\na\n-->\n\n<pre>\n\nb\n</pre>\n\nc\n", ["<pre>", "c"]],
    ["after an html block closed on its first line", "<!-- a -->\n\nb\n", ["b"]],
  ])("%s", (_name, source, expected) => {
    expect(cutLines(source)).toEqual(expected);
  });

  it("keeps pieces at least pieceChars long", () => {
    const source = "a\n\nb\n\nc\n\nd\n";
    expect(pieceStarts(source, 4)).toEqual([0, 6]);
    expect(pieceStarts(source, 1_000)).toEqual([0]);
  });
});
