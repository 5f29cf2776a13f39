// The event reader in parse-markdown.ts must extract exactly what the
// mdast-based parser it replaced extracted, on every fixture, on this
// repository's docs and on the corner cases of each construct it reads.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parseMarkdown, type ParsedMarkdown } from "../../../src/checks/docs/parse-markdown.js";
import { parseMarkdownWithMdast } from "./mdast-reference-parser.js";
import { FIXTURES } from "./memory-repo.js";

const comparable = (parsed: ParsedMarkdown) => ({ ...parsed, anchorKeys: [...parsed.anchorKeys].sort() });

const CORNER_CASES: Record<string, string> = {
  "setext heading over two lines": "Foo *bar*\nbaz\n===\n\n[x](#foo-bar-baz)\n",
  "setext heading with hard breaks": "a\\\nb  \nc\n---\n",
  "atx heading with code, escapes and references": "# `a  b` \\* &amp; &#35; &#x41; x\n",
  "heading with a multi-line code span": "`a\nb`\n===\n",
  "heading with link, image and html": "## [Link *t*](x.md \"title\") ![alt [in](y.md)](i.png) <b id=\"h\">bold</b> end\n",
  "heading with reference links": "# [a][b] [c][] [d]\n\n[b]: b.md\n[c]: <c d.md>\n[d]: d.md 'title'\n",
  "heading with autolinks": "# <https://x.y/z> <me@example.com>\n",
  "heading with line ending in a link label and resource": "[a\nb](\n x.md\n 'multi\n title')\n---\n",
  "links inside image labels are alt text": "![a [b](b.md) <a href=\"c.md\">c</a> ![d](d.png)](e.png)\n",
  "images inside links": "[![a](a.png) and [b][]](c.md)\n\n[b]: b.md\n",
  "reference image in link": "[![a][r]](t.md) [![b](b.png)][r]\n\n[r]: r.md\n",
  "unresolved references are text": "# [not a link] and [x][y]\n[z]: <>\n",
  "definitions: footnote, escaped caret, multi-line label": "[^1]: a.md\n[\\^2]: b.md\n[&#94;3]: c.md\n[multi\nline]: d.md\n",
  "destinations with escapes and references": "[a](a\\(b\\).md) [b](<b c.md>) [c](&auml;.md#&amp;x) [d]() [e](<>)\n",
  "html flow in a block quote and a list": '> <div id="q">\n> <a href="x.md"\n> name="n">x</a>\n> </div>\n\n- <a\n  href="y.md">y</a>\n',
  "html text spanning lines": 'text <a\nhref="z.md" id="i">z</a> and <img src="p.png"> <!-- <a href="c.md"> -->\n',
  "code blocks": "```md\n[a](a.md)\n```\n\n~~~\n# not\n~~~\n\n    [b](b.md)\n\n\t[c](c.md)\n",
  "front matter": "---\ntitle: x\n---\n# Real\n",
  "crlf and tabs": "# A\tb\r\n\r\nc\r\nd\r\n===\r\n\r\n>\t[x](x.md)\r\n",
  "duplicate headings": "# echo\n# echo\n# echo 1\n## Notes\n## Notes\n",
  "emoji and unicode": "# 🎉 Party ✔️ Ünïcödé\n",
  "no syntax at all": "Just words, punctuation; and numbers 1, 2.\n",
  "indented code in a list item": "1.     code [a](a.md)\n",
  "empty": "",
};

/** Where a file is cut into pieces (parse-markdown.ts): each must read as the whole file does. */
const PIECE_BOUNDARY_CASES: Record<string, string> = {
  "definition after its use in another piece": "See [a] and [text][b] and ![i][a].\n\nMiddle.\n\n[a]: a.md\n\nEnd [b].\n\n[b]: b.md\n",
  "definition before its use in another piece": "[a]: a.md\n\nUse [a].\n",
  "fenced code containing blank lines": "```\n[a](a.md)\n\nnot a cut\n\n# not a heading\n```\n\n# After\n",
  "tilde fence closed only by a longer fence": "~~~~\nx\n\n~~~\n\ny\n~~~~~\n\n# After\n",
  "unclosed fence runs to the end": "```\na\n\n# not a heading\n\n[x](x.md)\n",
  "fence inside a list item ends with the list": "- ```\n  a\n\n  b\n\n# Heading\n\n[x](x.md)\n",
  "fence opened in an html block is html": "<div>\n```\n</div>\n\n[a](a.md)\n\n```\ncode [b](b.md)\n\n```\n\n# End\n",
  "list with blank lines between items": "- a [x](x.md)\n\n- b\n\n  continued [y](y.md)\n\n1. one\n\n2) two\n\n* three\n\n+ four\n\nafter\n",
  "block quote then a new paragraph": "> quoted [q](q.md)\n\nnot quoted\n\n> again\n",
  "setext headings around cuts": "Title\n=====\n\nSub\n---\n\n===\n\nPara\nline\n---\n\n# Title\n",
  "html blocks over blank lines": "<!--\n[a](a.md)\n\n# hidden\n-->\n\n<pre>\n\n<a href=\"p.md\">p</a>\n</pre>\n\n<div id=\"d\">\n\n[b](b.md)\n</div>\n\n<?php\n\n?>\n\n<!DOCTYPE\n\n>\n\n<![CDATA[\n\n]]>\n\n# End\n",
  "indented code over blank lines": "    a\n\n    [b](b.md)\n\nc\n",
  "duplicate headings in different pieces": "# Same\n\n# Same\n\n## Same\n",
  "crlf and lone cr line endings": "# A\r\n\r\n[x](x.md)\r\n\r\n# B\r\rtext\r\r# C\n",
  "bullet items cut without blank lines": "- a [x](x.md)\n  - nested [n](n.md)\n- b\ncontinued lazily [y](y.md)\n* other list\n+ third\n-\n- \n  code?\n- - -\nTitle\n- item\n",
  "bullet items after blocks that run on": "<div>\n- not an item [a](a.md)\n</div>\n- item\n```\n- in code\n```\n- item\n> quote\n- item\n<!--\n- hidden\n-->\n- end [e](e.md)\n",
  "setext underline and thematic break look like bullets": "Heading\n- x\n\nHeading\n---\n- y\n* * *\n- z\n",
  "byte order mark at a line start": "# A\n\n\uFEFF# B\n",
};

/** Lines that open, continue or close the blocks a cut must respect. */
const LINES = [
  "", "", "text [a](a.md) [r]", "# Heading [h](h.md)", "===", "---", "- item [b](b.md)", "  - nested", "* star", "1. one",
  "> quote [q](q.md)", "```", "~~~~", "    indented", "<div id=\"d\">", "</div>", "<!--", "-->", "<pre>", "</pre>",
  "[r]: r.md", "[late]: late.md", "see [late]", "\tTab", "<a href=\"x.md\">x</a>",
];

function markdownFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) found.push(join(entry.parentPath, entry.name));
  }
  return found.sort();
}

describe("parseMarkdown reads micromark events exactly as the mdast tree was read", () => {
  it.each(Object.entries(CORNER_CASES))("%s", (_name, source) => {
    expect(comparable(parseMarkdown(source))).toEqual(comparable(parseMarkdownWithMdast(source)));
  });

  it.each(Object.entries({ ...CORNER_CASES, ...PIECE_BOUNDARY_CASES }))("%s, cut into pieces at every safe place", (_name, source) => {
    expect(comparable(parseMarkdown(source, 1))).toEqual(comparable(parseMarkdownWithMdast(source)));
  });

  it("agrees on random mixes of block openers and closers, cut at every safe place", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 40 }), (lines) => {
        const source = `${lines.join("\n")}\n`;
        expect(comparable(parseMarkdown(source, 1))).toEqual(comparable(parseMarkdownWithMdast(source)));
      }),
      { numRuns: 300 },
    );
  });

  const corpus = [
    ...markdownFiles(FIXTURES),
    ...markdownFiles(new URL("../../../docs/", import.meta.url).pathname),
  ];

  it(`agrees on the ${corpus.length} Markdown files of the fixtures and docs/`, () => {
    expect(corpus.length).toBeGreaterThan(10);
    for (const path of corpus) {
      const source = readFileSync(path, "utf8");
      const expected = { path, ...comparable(parseMarkdownWithMdast(source)) };
      expect({ path, ...comparable(parseMarkdown(source)) }).toEqual(expected);
      expect({ path, ...comparable(parseMarkdown(source, 1)) }).toEqual(expected);
    }
  });
});
