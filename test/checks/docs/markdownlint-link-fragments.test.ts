// markdownlint's MD051 corpus: the set of lines flagged with missing-anchor must
// equal the set of lines carrying {MD051}, except where markdownlint is not
// GitHub. Every deliberate deviation is listed below with its reason.
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { docsConfigSchema, runDocs } from "../../../src/checks/docs/index.js";
import { FIXTURES, memoryRepo } from "./memory-repo.js";

const source = readFileSync(`${FIXTURES}markdownlint/link-fragments.md`, "utf8");

const markedLines = source
  .split("\n")
  .flatMap((line, index) => (/\{(MD\d+)(?::([-+]?)(\d+))?\}/.exec(line)?.[1] === "MD051" ? [index + 1] : []));

/** markdownlint flags these; GitHub resolves them, so we do not. */
const acceptedByGitHub: Record<number, string> = {
  220: "#valid-heading-2004- vs heading slug ending in U+FE0F: the variation selector is disputed, accepted both ways",
  226: "#myname: <a name> is a fragment target in HTML (indicated part of the document) even when the <a> also has an id",
  228: "#hrefandid vs id HREFandID: GitHub matches fragments case-insensitively (markdownlint is case-sensitive)",
  245: "#Valid-Fragments: case-insensitive match on GitHub",
  247: "#NAMEDLINK: case-insensitive match on GitHub",
  249: "#NAMEDLINK (multi-line link): case-insensitive match on GitHub",
  254: "#idLINK (reference definition): case-insensitive match on GitHub",
  305: "#L12-not-a-line-link matches heading l12-not-a-line-link case-insensitively",
  339: "#ToP: the HTML spec matches 'top' ASCII case-insensitively",
};

/** markdownlint accepts these; GitHub has no such anchor, so we flag them. */
const brokenOnGitHub: Record<number, string> = {
  258: "#named-fragment comes from {#named-fragment}, a heading-attribute syntax GitHub does not support",
  262: "#another_fragment_123: {#custom-id} is not a GitHub feature",
  266: "#closed-atx: {#custom-id} is not a GitHub feature",
  268: "#setext: {#custom-id} is not a GitHub feature",
};

describe("markdownlint link-fragments.md (MD051)", () => {
  it("has the 39 documented marker lines", () => {
    expect(markedLines).toHaveLength(39);
  });

  it("flags exactly the {MD051} lines, give or take the documented GitHub deviations", async () => {
    const repo = memoryRepo({ "docs/link-fragments.md": source });
    const config = docsConfigSchema.parse({ rules: { "index-entry-missing": "off" } });
    const { findings } = await runDocs(repo, config);

    const flagged = [...new Set(findings.map((finding) => finding.startLine))].sort((a, b) => a - b);
    const expected = [
      ...markedLines.filter((line) => !(line in acceptedByGitHub)),
      ...Object.keys(brokenOnGitHub).map(Number),
    ].sort((a, b) => a - b);

    expect(findings.every((finding) => finding.ruleId === "missing-anchor")).toBe(true);
    expect(flagged).toEqual(expected);
  });
});
