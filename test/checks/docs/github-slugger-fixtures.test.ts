// github-slugger's own corpus (anchors rendered by GitHub), fed in order to one
// document, i.e. one slugger, so duplicate suffixes carry across entries.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { defaultDocsConfig, docsConfigSchema, runDocs } from "../../../src/checks/docs/index.js";
import { parseMarkdown } from "../../../src/checks/docs/parse-markdown.js";
import { FIXTURES, memoryRepo } from "./memory-repo.js";

interface SluggerFixture {
  name: string;
  input: string;
  expected: string;
  markdownOverwrite?: string;
}

const fixtures = JSON.parse(readFileSync(`${FIXTURES}github-slugger/fixtures.json`, "utf8")) as SluggerFixture[];
// `input` is the heading's text; written as Markdown its ASCII punctuation must
// be backslash-escaped (`__proto__` would otherwise render as bold "proto").
const asMarkdownText = (text: string) => text.replace(/[!-/:-@[-`{-~]/g, "\\$&");
const headings = fixtures
  .map((fixture) => fixture.markdownOverwrite ?? `# ${asMarkdownText(fixture.input)}`)
  .join("\n\n");

describe("github-slugger fixtures (GitHub's rendered anchors)", () => {
  it("has all 78 entries", () => {
    expect(fixtures).toHaveLength(78);
  });

  it("slugs every heading of one document exactly as GitHub did, in order", () => {
    expect(parseMarkdown(headings).headingSlugs).toEqual(fixtures.map((fixture) => fixture.expected));
  });

  it("resolves a link to each expected anchor", async () => {
    const links = fixtures.map((fixture, index) => `[${index}](#${fixture.expected})`).join("\n\n");
    const repo = memoryRepo({ "docs/INDICE.md": "# Index\n", "docs/slugs.md": `${headings}\n\n${links}\n` });
    const result = await runDocs(repo, defaultDocsConfig);
    expect(result.findings).toEqual([]);
  });

  it("resolves the same links written percent-encoded, from another file", async () => {
    const links = fixtures
      .map((fixture, index) => `[${index}](slugs.md#${encodeURIComponent(fixture.expected)})`)
      .join("\n\n");
    const repo = memoryRepo({
      "docs/INDICE.md": "# Index\n",
      "docs/slugs.md": headings,
      "docs/links.md": links,
    });
    const result = await runDocs(repo, docsConfigSchema.parse({}));
    expect(result.findings).toEqual([]);
  });
});
