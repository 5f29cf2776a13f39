// remark-validate-links' fixtures, checked as one repository whose root is the
// fixtures folder (upstream runs with cwd = fixtures and repository
// "wooorm/test", so "/examples/x.md" is fixtures/examples/x.md). For each
// fixture/test pair the lines remark warns on (missing-file -> broken-link,
// missing-heading[-in-file] -> missing-anchor) must be the lines we flag, after
// the documented deviations.
import { describe, expect, it } from "vitest";

import { docsConfigSchema, runDocs } from "../../../src/checks/docs/index.js";
import type { Finding } from "../../../src/checks/types.js";
import { FIXTURES, filesOfFolder, memoryRepo } from "./memory-repo.js";

interface RemarkCase {
  fixture: string;
  /** Upstream test that covers the fixture. */
  test: string;
  /** Lines of remark's `missing-file` warnings. */
  missingFile: number[];
  /** Lines of remark's `missing-heading` and `missing-heading-in-file` warnings. */
  missingHeading: number[];
  /**
   * Lines whose link is a https://github.com/... (or gitlab.com, or self-hosted)
   * blob URL of the same repository: remark maps them to local files, we treat
   * every absolute URL as external (documented: out of scope).
   */
  blobUrlLines?: number[];
  /** Lines whose target file is missing: remark also warns about the heading, we report the file only. */
  headingOfMissingFile?: number[];
  /** Lines we flag as broken-link that remark does not, with the reason. */
  extraBrokenLinks?: Record<number, string>;
}

const INDEX_JS_TRAP =
  "../index.js is test/index.js upstream (exists); here the fixtures folder is the repository root, so the link climbs above it";

const cases: RemarkCase[] = [
  {
    fixture: "github.md",
    test: "should work on GitHub URLs when given a repo",
    missingFile: [21, 23, 25, 27, 29, 49, 51, 53, 55],
    missingHeading: [5, 41, 43, 45, 47, 49, 51, 53, 55],
    blobUrlLines: [21, 25, 45, 47, 53, 55],
    headingOfMissingFile: [49, 51],
    extraBrokenLinks: { 19: INDEX_JS_TRAP },
  },
  {
    fixture: "examples/github.md",
    test: "should work on GitHub URLs when given a repo",
    missingFile: [15, 17, 19, 35, 37, 39],
    missingHeading: [5, 29, 31, 33, 35, 37, 39],
    blobUrlLines: [15, 17, 31, 33, 37, 39],
    headingOfMissingFile: [35],
  },
  {
    fixture: "gitlab.md",
    test: "should support a GitLab shortcode",
    missingFile: [21, 23, 25, 27, 47, 49, 51, 53],
    missingHeading: [5, 39, 41, 43, 45, 47, 49, 51, 53],
    blobUrlLines: [21, 23, 43, 45, 51, 53],
    headingOfMissingFile: [47, 49],
    extraBrokenLinks: { 19: INDEX_JS_TRAP },
  },
  {
    fixture: "folder.md",
    test: "should support folders",
    missingFile: [21],
    missingHeading: [9, 17, 21, 23],
    headingOfMissingFile: [21],
  },
  {
    fixture: "weird-characters.md",
    test: "should recognise links with encoded URLs",
    missingFile: [11, 13],
    missingHeading: [15, 17],
  },
  {
    fixture: "line-links.md",
    test: "should recognise links to particular lines",
    missingFile: [5, 9],
    missingHeading: [],
    blobUrlLines: [9],
  },
  {
    fixture: "images.md",
    test: "should check images",
    missingFile: [21, 23, 25, 37, 39],
    missingHeading: [],
    blobUrlLines: [25, 39],
  },
  { fixture: "image-alts.md", test: "should slug image alts correctly", missingFile: [], missingHeading: [] },
  { fixture: "query-params.md", test: "should support query parameters", missingFile: [], missingHeading: [11] },
  {
    fixture: "case-insensitive-headings.md",
    test: "should support case insensitive headings",
    missingFile: [],
    missingHeading: [5, 9],
  },
  { fixture: "external.md", test: "should ignore external links", missingFile: [], missingHeading: [] },
  { fixture: "definitions.md", test: "should work with definitions", missingFile: [], missingHeading: [10] },
  { fixture: "small.md", test: "should ignore invalid repositories (and 4 more)", missingFile: [], missingHeading: [5] },
  { fixture: "empty.md", test: "should work if there are no links", missingFile: [], missingHeading: [] },
  { fixture: "suggestions.md", test: "should suggest similar links", missingFile: [], missingHeading: [3, 7] },
  { fixture: "file-as-folder.md", test: "should warn on files as folders", missingFile: [1], missingHeading: [] },
  {
    fixture: "self-hosted.md",
    test: "should support self-hosted Git solutions",
    missingFile: [],
    missingHeading: [5],
    blobUrlLines: [5],
  },
];

/**
 * Not compared: bitbucket.md expects Bitbucket's "#markdown-header-<slug>"
 * anchors and its /src/ URLs; GitHub has neither, so its same-file anchors
 * (lines 3, 31, 33) would be findings here by design.
 */
const notCompared = ["bitbucket.md"];

const linesOf = (findings: Finding[], ruleId: string) =>
  [...new Set(findings.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.startLine))].sort(
    (a, b) => a - b,
  );

describe("remark-validate-links fixtures", async () => {
  const repo = memoryRepo(filesOfFolder(`${FIXTURES}remark-validate-links/fixtures`));
  const config = docsConfigSchema.parse({ root: "/", rules: { "index-entry-missing": "off" } });
  const { findings } = await runDocs(repo, config);

  it.each(cases)("$fixture ($test)", (testCase) => {
    const own = findings.filter((finding) => finding.path === testCase.fixture);
    const outOfScope = new Set(testCase.blobUrlLines ?? []);
    const notRepeated = new Set(testCase.headingOfMissingFile ?? []);
    const expectedBroken = [
      ...testCase.missingFile.filter((line) => !outOfScope.has(line)),
      ...Object.keys(testCase.extraBrokenLinks ?? {}).map(Number),
    ].sort((a, b) => a - b);
    const expectedAnchors = testCase.missingHeading.filter((line) => !outOfScope.has(line) && !notRepeated.has(line));

    expect(linesOf(own, "broken-link")).toEqual(expectedBroken);
    expect(linesOf(own, "missing-anchor")).toEqual(expectedAnchors);
    expect(own.filter((finding) => !["broken-link", "missing-anchor"].includes(finding.ruleId))).toEqual([]);
  });

  it("suggests the close heading, like remark's 'did you mean'", () => {
    const messages = findings.filter((finding) => finding.path === "suggestions.md").map((finding) => finding.message);
    expect(messages).toEqual([
      expect.stringMatching(/^Anchor "#helloo" not found in suggestions\.md; headings there: #hello,/),
      expect.stringMatching(/^Anchor "#fiiiles" not found in github\.md; headings there: #files,/),
    ]);
  });

  it("reports the folder README it looked in", () => {
    const messages = findings.filter((finding) => finding.path === "folder.md").map((finding) => finding.message);
    expect(messages).toContain(
      'Anchor "#missing" not found in folder/readme.markdown (the README shown for folder/); headings there: #this, #readme, #that',
    );
    expect(messages).toContain(
      'Anchor "#missing" not found: folder-without-readme/ is a folder without a Markdown README, so its page has no headings',
    );
  });

  it("leaves bitbucket.md out of the comparison", () => {
    expect(notCompared).toEqual(["bitbucket.md"]);
  });
});
