// What a check run shows, from plain engine results: conclusion, annotations,
// the summary's table and links, the caps and GitHub's size limit.
import { describe, expect, it } from "vitest";
import {
  batches,
  blobUrl,
  buildCheckOutput,
  conclusionOf,
  disabledOutput,
  erroredOutput,
  invalidConfigOutput,
  MAX_SUMMARY_CHARS,
  toAnnotation,
} from "../../src/checks/check-output.js";
import type { EngineResult, Finding, FindingLevel } from "../../src/checks/types.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const context = { check: "restrictions" as const, repositoryUrl: "https://github.example.com/acme/site", sha: SHA, rulesDocsUrl: "https://docs.example.com/rules" };

function finding(level: FindingLevel, path = "a.py", line = 1, overrides: Partial<Finding> = {}): Finding {
  return { ruleId: "no-email-sending", level, path, startLine: line, endLine: line, message: `${level} at ${line}`, ...overrides };
}

const rule = { id: "no-email-sending", title: "No email sending", level: "failure" as const, docsAnchor: "no-email-sending" };

describe("conclusionOf", () => {
  it.each([
    [[], "success"],
    [[finding("notice")], "neutral"],
    [[finding("warning"), finding("notice")], "neutral"],
    [[finding("warning"), finding("failure")], "failure"],
  ] as const)("%j -> %s", (findings, expected) => {
    expect(conclusionOf(findings)).toBe(expected);
  });
});

describe("toAnnotation", () => {
  it("keeps columns on a single line and drops them on several lines", () => {
    expect(toAnnotation(finding("failure", "a.py", 3, { startColumn: 5, endColumn: 9 }))).toEqual({
      path: "a.py", start_line: 3, end_line: 3, start_column: 5, end_column: 9, annotation_level: "failure", message: "failure at 3", title: "no-email-sending",
    });
    const multiLine = toAnnotation(finding("warning", "a.py", 3, { endLine: 5, startColumn: 5, endColumn: 2 }));
    expect(multiLine).not.toHaveProperty("start_column");
    expect(multiLine).toMatchObject({ start_line: 3, end_line: 5 });
  });
});

describe("batches", () => {
  it.each([[0, []], [50, [50]], [121, [50, 50, 21]]] as const)("%i annotations -> %j", (count, sizes) => {
    expect(batches(Array.from({ length: count }, (_, index) => index)).map((batch) => batch.length)).toEqual(sizes);
  });
});

describe("buildCheckOutput", () => {
  it("builds the rule table with docs links and the findings per file, linking to the commit on the repository's host", () => {
    const result: EngineResult = { rules: [rule], findings: [finding("failure", "pkg/my mail.py", 2), finding("failure", "pkg/my mail.py", 4, { endLine: 6 })] };
    const output = buildCheckOutput(result, context);
    expect(output.conclusion).toBe("failure");
    expect(output.title).toBe("2 failures");
    expect(output.summary).toContain("| `no-email-sending` No email sending | failure | 2 | [no-email-sending](https://docs.example.com/rules/restrictions.md#no-email-sending) |");
    expect(output.summary).toContain(`**[pkg/my mail.py](https://github.example.com/acme/site/blob/${SHA}/pkg/my%20mail.py)**`);
    expect(output.summary).toContain(`- [L4-L6](https://github.example.com/acme/site/blob/${SHA}/pkg/my%20mail.py#L4-L6) failure \`no-email-sending\`: failure at 4`);
  });

  it("caps annotations at 500, failures first, and says how many more are not shown", () => {
    const findings = [...Array.from({ length: 400 }, (_, index) => finding("warning", "w.py", index + 1)), ...Array.from({ length: 200 }, (_, index) => finding("failure", "z.py", index + 1))];
    const output = buildCheckOutput({ rules: [rule], findings }, context);
    expect(output.annotations).toHaveLength(500);
    expect(output.annotations.slice(0, 200).every((annotation) => annotation.annotation_level === "failure")).toBe(true);
    expect(output.summary).toContain("100 more not shown");
  });

  it("stays under GitHub's 65,535-character limit and counts what it leaves out", () => {
    const findings = Array.from({ length: 5000 }, (_, index) => finding("failure", `very/long/path/number/${index}/module.py`, index + 1, { message: "é".repeat(100) }));
    const output = buildCheckOutput({ rules: [rule], findings }, context);
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    const shown = (output.summary.match(/^- \[L/gm) ?? []).length;
    expect(shown).toBeGreaterThan(50);
    expect(output.summary).toContain(`${(5000 - shown).toLocaleString("en-US")} more not shown in this summary`);
  });

  it("escapes Markdown in messages so a finding cannot break the table or inject links", () => {
    const output = buildCheckOutput({ rules: [rule], findings: [finding("notice", "a.py", 1, { message: "use [x](http://evil) | *not* this" })] }, context);
    expect(output.summary).toContain("use \\[x\\]\\(http://evil\\) \\| \\*not\\* this");
    expect(output.conclusion).toBe("neutral");
  });

  it("says when nothing was found", () => {
    const output = buildCheckOutput({ rules: [rule], findings: [] }, context);
    expect(output).toMatchObject({ title: "No problems found", conclusion: "success", annotations: [] });
  });
});

describe("outputs known before running", () => {
  it("an invalid configuration fails with each problem's line, annotated on the file", () => {
    const output = invalidConfigOutput(
      [
        { message: 'unknown setting "x"', path: "checks.x", line: 3, column: 3 },
        { message: "bad", path: "checks.docs", line: 7, source: "acme/.github:.github/iact.yml" },
      ],
      ".github/iact.yml",
      context,
    );
    expect(output.conclusion).toBe("failure");
    expect(output.summary).toContain(`| [3](https://github.example.com/acme/site/blob/${SHA}/.github/iact.yml#L3) | \`checks.x\` | unknown setting "x" |`);
    expect(output.summary).toContain("acme/.github:.github/iact.yml:7");
    // Only problems in this repository's file can be annotated.
    expect(output.annotations).toHaveLength(1);
  });

  it("a check turned off is skipped; an error cancels", () => {
    expect(disabledOutput("docs")).toMatchObject({ conclusion: "skipped", title: "Turned off in .github/iact.yml" });
    expect(erroredOutput("docs", new Error("GitHub said 502"))).toMatchObject({ conclusion: "cancelled", summary: expect.stringContaining("GitHub said 502") });
  });

  it("blobUrl encodes each path segment", () => {
    expect(blobUrl("https://github.com/o/r/", "s", "a b/c#d.md", 2)).toBe("https://github.com/o/r/blob/s/a%20b/c%23d.md#L2");
  });
});
