// Hand-written cases: each row is a small repository, the config overrides and
// the findings expected (rule, path, line and a distinctive part of the message).
import { describe, expect, it } from "vitest";

import { docsConfigSchema, docsRules, runDocs } from "../../../src/checks/docs/index.js";
import { memoryRepo } from "./memory-repo.js";

interface Expected {
  ruleId: string;
  path: string;
  line: number;
  message?: string | RegExp;
}

interface Row {
  name: string;
  files: Record<string, string>;
  config?: Record<string, unknown>;
  expected: Expected[];
}

/** Every row gets an index listing nothing, so only the row's subject is reported. */
const INDEX = { "docs/INDICE.md": "# Índice\n" };

const rows: Row[] = [
  {
    name: "paths are case-sensitive, with a hint when only case differs",
    files: { "docs/a.md": "[g](Guide.md)\n", "docs/guide.md": "# Guide\n" },
    expected: [
      {
        ruleId: "broken-link",
        path: "docs/a.md",
        line: 1,
        message: 'Link target "Guide.md" does not exist (resolved to docs/Guide.md); did you mean docs/guide.md? (paths are case-sensitive)',
      },
    ],
  },
  {
    name: "a leading / is the repository root",
    files: { "docs/a.md": "[r](/README.md)\n\n[m](/docs/missing.md)\n", "README.md": "# Repo\n" },
    expected: [{ ruleId: "broken-link", path: "docs/a.md", line: 3, message: /resolved to docs\/missing\.md\)$/ }],
  },
  {
    name: "a folder is a valid target when some file is under it",
    files: {
      "docs/a.md": "[d](guide/) [d2](guide) [d3](./guide/sub/) [root](../) [e](empty/)\n",
      "docs/guide/sub/x.png": "",
    },
    expected: [{ ruleId: "broken-link", path: "docs/a.md", line: 1, message: /"empty\/" does not exist/ }],
  },
  {
    name: "links that climb above the repository root are broken",
    files: { "docs/a.md": "[x](../../outside.md)\n" },
    expected: [{ ruleId: "broken-link", path: "docs/a.md", line: 1, message: /points outside the repository/ }],
  },
  {
    name: "a root-relative path that climbs above the root stays at the root, as GitHub shows it",
    files: { "docs/a.md": "[home](/../../) [readme](/../README.md) [gone](/../../missing.md)\n", "README.md": "# Repo\n" },
    expected: [{ ruleId: "broken-link", path: "docs/a.md", line: 1, message: /"\/\.\.\/\.\.\/missing\.md" does not exist \(resolved to missing\.md\)/ }],
  },
  {
    name: "a web URL with nothing after the scheme is broken; other schemes and real URLs are not checked",
    files: {
      "docs/a.md": "See [x] and [y].\n\n[x]: https:\n[y]: http://\n\n[ok](https://example.com) [mail](mailto:) ![img](https://)\n",
    },
    expected: [
      { ruleId: "broken-link", path: "docs/a.md", line: 3, message: 'Link target "https:" has no address after the scheme, so it goes nowhere' },
      { ruleId: "broken-link", path: "docs/a.md", line: 4, message: /"http:\/\/" has no address/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 6, message: /^Image target "https:\/\/" has no address/ },
    ],
  },
  {
    name: "reference definitions no reference uses are not rendered, so not checked; used ones are, whatever the label's case and spacing",
    files: {
      "docs/a.md": [
        "Read [the guide][Guide  Page], [setup][] and [faq] and ![logo][img].",
        "",
        "[guide page]: missing-guide.md",
        "[setup]: missing-setup.md",
        "[FAQ]: missing-faq.md",
        "[img]: missing.png",
        "[unused]: gone.md",
        "[also unused]: https:",
        "",
      ].join("\n"),
    },
    expected: [
      { ruleId: "broken-link", path: "docs/a.md", line: 3, message: /"missing-guide\.md" does not exist/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 4, message: /"missing-setup\.md" does not exist/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 5, message: /"missing-faq\.md" does not exist/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 6, message: /^Link target "missing\.png" does not exist/ },
    ],
  },
  {
    name: "a definition used only inside code is unused",
    files: { "docs/a.md": "`[x]` and\n\n    [x]\n\n[x]: gone.md\n" },
    expected: [],
  },
  {
    name: "percent-encoding, <angle> destinations and %23 for # in file names",
    files: {
      "docs/a.md": "[s](my%20file.md) [t](<my file.md>) [h](weird%23name.md#hello) [n](weird%23name.md#nope)\n",
      "docs/my file.md": "x\n",
      "docs/weird#name.md": "# Hello\n",
    },
    expected: [{ ruleId: "missing-anchor", path: "docs/a.md", line: 1, message: /"#nope" not found in docs\/weird#name\.md/ }],
  },
  {
    name: "?query is stripped, before and with a fragment",
    files: { "docs/a.md": "[q](b.md?plain=1) [l](b.md?plain=1#L3) [h](b.md?x=1#title)\n", "docs/b.md": "# Title\n" },
    expected: [],
  },
  {
    name: "code blocks (``` ~~~ indented) and inline code are not links",
    files: {
      "docs/a.md": [
        "```md",
        "[x](missing1.md)",
        "```",
        "",
        "~~~",
        "[x](missing2.md)",
        "~~~",
        "",
        "    [x](missing3.md)",
        "",
        "Inline `[x](missing4.md)` code.",
        "",
      ].join("\n"),
    },
    expected: [],
  },
  {
    name: "reference definitions are checked once, at the definition",
    files: { "docs/a.md": "[one][r] and [two][r]\n\n[r]: missing.md\n[ok]: a.md\n" },
    expected: [{ ruleId: "broken-link", path: "docs/a.md", line: 3 }],
  },
  {
    name: "images, inline and by reference",
    files: { "docs/a.md": "![a](img/ok.png) ![b](img/no.png)\n\n![c][i]\n\n[i]: img/no2.png\n", "docs/img/ok.png": "" },
    expected: [
      { ruleId: "broken-link", path: "docs/a.md", line: 1, message: /^Image target "img\/no\.png"/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 5, message: /"img\/no2\.png"/ },
    ],
  },
  {
    name: "raw HTML <a href> and <img src> are links; id and <a name> are anchors",
    files: {
      "docs/a.md": [
        '<p align="center"><img src="logo.png" alt=""><img src="nologo.png"></p>',
        "",
        'Text with <a href="b.md#custom">inline html</a> and <a href="nope.md">a broken one</a>.',
        "",
        "[n](b.md#old-name) [p](b.md#para) [bad](b.md#absent)",
        "",
        "<!-- <a href=\"commented.md\"> is not a link -->",
      ].join("\n"),
      "docs/logo.png": "",
      "docs/b.md": '<a id="custom"></a>\n\n<a name="old-name"></a>\n\n<p id="para">x</p>\n',
    },
    expected: [
      { ruleId: "broken-link", path: "docs/a.md", line: 1, message: /^Image target "nologo\.png"/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 3, message: /"nope\.md"/ },
      { ruleId: "missing-anchor", path: "docs/a.md", line: 5, message: /"#absent" not found in docs\/b\.md; headings there: / },
    ],
  },
  {
    name: "setext headings are anchors; ~~~ fenced 'headings' are not",
    files: {
      "docs/a.md": "Set Up\n======\n\nMore\n----\n\n~~~\n# Not A Heading\n~~~\n\n[a](#set-up) [b](#more) [c](#not-a-heading)\n",
    },
    expected: [{ ruleId: "missing-anchor", path: "docs/a.md", line: 11, message: /"#not-a-heading" not found/ }],
  },
  {
    name: "duplicated headings get -1, -2 (github-slugger), per file",
    files: {
      "docs/a.md": "# Echo\n\n# Echo\n\n# Echo 1\n\n[a](#echo) [b](#echo-1) [c](#echo-1-1) [d](#echo-2) [e](b.md#echo-1)\n",
      "docs/b.md": "# Echo\n",
    },
    expected: [
      { ruleId: "missing-anchor", path: "docs/a.md", line: 7, message: /"#echo-2"/ },
      { ruleId: "missing-anchor", path: "docs/a.md", line: 7, message: /"#echo-1" not found in docs\/b\.md/ },
    ],
  },
  {
    name: "anchors match case-insensitively, percent-decoded, with or without U+FE0F",
    files: {
      "docs/a.md":
        "# Instalación\n\n## Listo ✔️\n\n[a](#INSTALACIÓN) [b](#instalaci%C3%B3n) [c](#listo-) [d](#listo-%EF%B8%8F) [e](#instalacion)\n",
    },
    expected: [
      {
        ruleId: "missing-anchor",
        path: "docs/a.md",
        line: 5,
        message: 'Anchor "#instalacion" not found in docs/a.md; headings there: #instalación, #listo-️',
      },
    ],
  },
  {
    name: "#top, #readme, empty fragment and GitHub line links are valid",
    files: {
      "docs/a.md": "[a](#top) [b](#TOP) [c](#readme) [d](#) [e](#L10) [f](b.md#L10-L20) [g](../src/x.js#L3C2-L4) [h](../src/x.js#L7extra) [i](../src/x.js#anything)\n",
      "docs/b.md": "x\n",
      "src/x.js": "",
    },
    expected: [{ ruleId: "missing-anchor", path: "docs/a.md", line: 1, message: /"#L7extra" is not a valid GitHub line link/ }],
  },
  {
    name: "external URLs, mailto and same-repo GitHub blob URLs are not checked",
    files: {
      "docs/a.md":
        "[a](https://example.com/missing.md) [b](mailto:x@example.com) [c](//cdn.example.com/x.js) [d](https://github.com/o/r/blob/main/missing.md) <https://example.com> www.example.com\n",
    },
    expected: [],
  },
  {
    name: "YAML front matter is not read as a setext heading",
    files: { "docs/a.md": "---\ntitle: Guía\n---\n\n# Real\n\n[a](#title-guía) [b](#real)\n" },
    expected: [{ ruleId: "missing-anchor", path: "docs/a.md", line: 7, message: /"#title-guía"/ }],
  },
  {
    name: "a multi-line link is reported on its first line, without columns",
    files: { "docs/a.md": "Para [ver la\nguía](missing.md) ahora.\n" },
    expected: [{ ruleId: "broken-link", path: "docs/a.md", line: 1 }],
  },
  {
    name: "index entries that do not exist are index-entry-missing at the index line (not also broken-link)",
    files: {
      "docs/INDICE.md": "# Índice\n\n- [Guía](guia.md)\n- [Falta](falta.md)\n- [Ancla](guia.md#nada)\n",
      "docs/guia.md": "# Guía\n",
    },
    expected: [
      { ruleId: "index-entry-missing", path: "docs/INDICE.md", line: 4, message: 'Index entry "falta.md" does not exist (resolved to docs/falta.md)' },
      { ruleId: "missing-anchor", path: "docs/INDICE.md", line: 5 },
    ],
  },
  {
    name: "a missing index is one finding",
    files: { "docs/a.md": "x\n" },
    config: { index: "docs/INDEX.md" },
    expected: [{ ruleId: "index-entry-missing", path: "docs/INDEX.md", line: 1, message: /^Index file docs\/INDEX\.md does not exist/ }],
  },
  {
    name: "a repository without any docs is not asked for an index",
    files: { "README.md": "# Repo\n", "src/app.py": "x = 1\n" },
    expected: [],
  },
  {
    name: "an index outside the docs root still has its entries checked",
    files: { "README.md": "[d](docs/a.md) [m](docs/missing.md)\n", "docs/a.md": "x\n" },
    config: { index: "README.md" },
    expected: [{ ruleId: "index-entry-missing", path: "README.md", line: 1, message: /"docs\/missing\.md"/ }],
  },
  {
    name: "retired folder: links and plain-text or inline-code mentions, not code blocks or similar names",
    files: {
      "docs/a.md": [
        "[old](../docs_legacy/a.md)", // 1: link (target exists)
        "See the docs_legacy/ folder.", // 2: mention
        "Run `ls docs_legacy/x`.", // 3: inline code mention
        "```",
        "cp -r docs_legacy/ docs/", // 5: code block, ignored
        "```",
        "Not my_docs_legacy/ nor docs_legacy_v2/.", // 7: other names
        "[gone](/docs_legacy/gone.md)", // 8: retired and broken
        "Moved from docs_legacy.", // 9: bare folder name
      ].join("\n"),
      "docs_legacy/a.md": "[x](missing.md)\n",
    },
    expected: [
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 1, message: /^Link to the retired folder docs_legacy\// },
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 2, message: /"docs_legacy\/"/ },
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 3, message: /"docs_legacy\/x"/ },
      { ruleId: "broken-link", path: "docs/a.md", line: 8 },
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 8 },
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 9 },
    ],
  },
  {
    name: "several retired folders; files inside them are not checked",
    files: { "docs/a.md": "old/docs/x and archive/ here\n", "old/docs/b.md": "[x](missing.md)\n" },
    config: { root: "/", retired: ["old/docs", "archive/"] },
    expected: [
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 1, message: /old\/docs\// },
      { ruleId: "retired-folder-reference", path: "docs/a.md", line: 1, message: /archive\// },
    ],
  },
  {
    name: "include and exclude globs select the docs files",
    files: { "docs/a.md": "[x](m1.md)\n", "docs/drafts/b.md": "[x](m2.md)\n", "docs/c.txt": "[x](m3.md)\n" },
    config: { include: ["**/*.md", "**/*.txt"], exclude: ["docs/drafts/**"] },
    expected: [
      { ruleId: "broken-link", path: "docs/a.md", line: 1 },
      { ruleId: "broken-link", path: "docs/c.txt", line: 1 },
    ],
  },
  {
    name: "a link into a folder's README anchors",
    files: { "docs/a.md": "[x](guide#intro) [y](guide/#nope)\n", "docs/guide/README.md": "# Intro\n" },
    expected: [{ ruleId: "missing-anchor", path: "docs/a.md", line: 1, message: /\(the README shown for docs\/guide\/\)/ }],
  },
];

describe("runDocs", () => {
  it.each(rows)("$name", async (row) => {
    const { findings } = await runDocs(memoryRepo({ ...INDEX, ...row.files }), docsConfigSchema.parse(row.config ?? {}));
    expect(findings.map(({ ruleId, path, startLine }) => ({ ruleId, path, line: startLine }))).toEqual(
      expect.arrayContaining(row.expected.map(({ ruleId, path, line }) => ({ ruleId, path, line }))),
    );
    expect(findings).toHaveLength(row.expected.length);
    for (const wanted of row.expected.filter((entry) => entry.message !== undefined)) {
      const messages = findings
        .filter((finding) => finding.ruleId === wanted.ruleId && finding.startLine === wanted.line)
        .map((finding) => finding.message);
      expect(messages).toContainEqual(
        typeof wanted.message === "string" ? wanted.message : expect.stringMatching(wanted.message as RegExp),
      );
    }
  });

  it("gives single-line findings a column range and multi-line ones none", async () => {
    const { findings } = await runDocs(
      memoryRepo({ ...INDEX, "docs/a.md": "Ver [esto](falta.md).\n\n[ver la\nguía](falta2.md)\n" }),
      docsConfigSchema.parse({}),
    );
    expect(findings).toEqual([
      expect.objectContaining({ startLine: 1, endLine: 1, startColumn: 5, endColumn: 21, level: "failure" }),
      expect.objectContaining({ startLine: 3, endLine: 4 }),
    ]);
    expect(findings[1]).not.toHaveProperty("startColumn");
    expect(findings[1]).not.toHaveProperty("endColumn");
  });

  it("reads only the docs files, the index and the Markdown targets whose anchors it checks", async () => {
    const repo = memoryRepo({
      ...INDEX,
      "docs/a.md": "[x](../other/x.md#title) [y](../other/y.md) [z](../src/z.ts#L1)\n",
      "other/x.md": "# Title\n",
      "other/y.md": "# Y\n",
      "other/unrelated.md": "# U\n",
      "src/z.ts": "",
    });
    await runDocs(repo, docsConfigSchema.parse({}));
    expect([...new Set(repo.reads)].sort()).toEqual(["docs/INDICE.md", "docs/a.md", "other/x.md"]);
  });

  it("applies per-rule levels and lists only the rules it ran", async () => {
    const repo = memoryRepo({ ...INDEX, "docs/a.md": "[x](missing.md) [y](#nope)\n" });
    const config = docsConfigSchema.parse({ rules: { "broken-link": "off", "missing-anchor": "failure" } });
    const result = await runDocs(repo, config);
    expect(result.rules.map((rule) => [rule.id, rule.level])).toEqual([
      ["missing-anchor", "failure"],
      ["index-entry-missing", "failure"],
      ["retired-folder-reference", "failure"],
    ]);
    expect(result.findings.map((finding) => [finding.ruleId, finding.level])).toEqual([["missing-anchor", "failure"]]);
  });

  it("with an index rule off, a missing index entry is still a broken link", async () => {
    const repo = memoryRepo({ "docs/INDICE.md": "[x](missing.md)\n" });
    const result = await runDocs(repo, docsConfigSchema.parse({ rules: { "index-entry-missing": "off" } }));
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(["broken-link"]);
  });

  it("does nothing when disabled", async () => {
    const repo = memoryRepo({ "docs/a.md": "[x](missing.md)\n" });
    expect(await runDocs(repo, docsConfigSchema.parse({ enabled: false }))).toEqual({ rules: [], findings: [] });
    expect(repo.reads).toEqual([]);
  });

  it("documents every rule under a heading whose slug is the rule id", async () => {
    const { readFileSync } = await import("node:fs");
    const { parseMarkdown } = await import("../../../src/checks/docs/parse-markdown.js");
    const doc = readFileSync(new URL("../../../docs/rules/docs.md", import.meta.url), "utf8");
    const slugs = parseMarkdown(doc).headingSlugs;
    for (const rule of docsRules) expect(slugs).toContain(rule.docsAnchor);
  });
});
