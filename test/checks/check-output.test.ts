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
  escapeMarkdown,
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

  it("keeps thousands of findings with very long paths and messages under the limit, as whole lines of valid Markdown", () => {
    // Paths and messages with everything that could end a line, a table cell or a link early.
    const findings = Array.from({ length: 4000 }, (_, index) =>
      finding(index % 3 === 0 ? "failure" : "warning", `${"deep (nested) | folder/".repeat(12)}unbalanced) name ${Math.floor(index / 4)}.py`, index + 1, {
        ruleId: index % 2 === 0 ? "no-email-sending" : "no-print",
        title: index % 2 === 0 ? undefined : "No print | *ever*\r(custom)",
        message: `${"send_mail(a | b) *x* [y](z)\r\nnext\rline ".repeat(40)}end ${index}`,
      }),
    );
    const output = buildCheckOutput({ rules: [rule], findings }, context);
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);

    const link = String.raw`\(https://github\.example\.com/acme/site/blob/${SHA}/[^\s()<>]+\)`;
    const shapes = [
      /^$/,
      /^\*\*iact\/restrictions\*\* at `0123456`: .*\.$/,
      /^> 4,000 findings: the first 500 are annotated on the files, 3,500 more not shown as annotations/,
      /^\| Rule \| Level \| Findings \| Documentation \|$/,
      /^\| --- \| --- \| ---: \| --- \|$/,
      /^\| `[a-z-]+` .* \| (failure|warning) \| \d+ \| \[[a-z-]+\]\(https:\/\/docs\.example\.com\/rules\/restrictions\.md#[a-z-]+\) \|$/,
      /^### Findings by file$/,
      new RegExp(String.raw`^\*\*\[[^\]]+\]${link}\*\*$`),
      new RegExp(String.raw`^- \[L\d+\]${link} (failure|warning) \`[a-z-]+\`: .* end \d+$`),
      /^_[\d,]+ more not shown in this summary \(GitHub limits it to 65,535 characters\); run `iact-bot check` on a checkout for the full list\._$/,
    ];
    // Every line CommonMark sees (\n, \r\n or a lone \r ends one) is one whole line of a known shape.
    const lines = output.summary.split(/\r\n|\r|\n/);
    for (const line of lines) expect(shapes.some((shape) => shape.test(line)), line.slice(0, 200)).toBe(true);
    // A table row has its 4 cells: the pipes inside a title or message are escaped.
    for (const row of lines.filter((line) => line.startsWith("|"))) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(6);
    expect(lines.filter((line) => line.startsWith("| `"))).toHaveLength(2);
    const shown = lines.filter((line) => line.startsWith("- [L")).length;
    expect(shown).toBeGreaterThan(10);
    expect(lines.at(-1)).toContain(`${(4000 - shown).toLocaleString("en-US")} more not shown in this summary`);
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

  it.each([
    ["a b/c#d.md", 2, "https://github.com/o/r/blob/s/a%20b/c%23d.md#L2"],
    // Parentheses too: an unbalanced one would end the Markdown link early.
    ["docs/a (b)/c).md", 1, "https://github.com/o/r/blob/s/docs/a%20%28b%29/c%29.md#L1"],
  ] as const)("blobUrl encodes each path segment: %s", (path, line, url) => {
    expect(blobUrl("https://github.com/o/r/", "s", path, line)).toBe(url);
  });

  it.each([
    ["a\nb", "a b"],
    ["a\r\nb", "a b"],
    ["a\rb", "a b"],
    ["x | [y](z)", "x \\| \\[y\\]\\(z\\)"],
  ])("escapeMarkdown(%j) is one line: %j", (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });
});
