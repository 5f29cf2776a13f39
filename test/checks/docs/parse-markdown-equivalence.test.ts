// The event reader in parse-markdown.ts must extract exactly what the
// mdast-based parser it replaced extracted, on every fixture, on this
// repository's docs and on the corner cases of each construct it reads.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

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

  const corpus = [
    ...markdownFiles(FIXTURES),
    ...markdownFiles(new URL("../../../docs/", import.meta.url).pathname),
  ];

  it(`agrees on the ${corpus.length} Markdown files of the fixtures and docs/`, () => {
    expect(corpus.length).toBeGreaterThan(10);
    for (const path of corpus) {
      const source = readFileSync(path, "utf8");
      expect({ path, ...comparable(parseMarkdown(source)) }).toEqual({ path, ...comparable(parseMarkdownWithMdast(source)) });
    }
  });
});
