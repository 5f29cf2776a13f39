// The report parsers on hand-written minimal files: each expected figure is
// counted by hand in the comment beside it.
import { describe, expect, it } from "vitest";
import { parseCobertura } from "../../../src/checks/coverage/cobertura.js";
import { parseJunit } from "../../../src/checks/coverage/junit.js";
import { parseLcov } from "../../../src/checks/coverage/lcov.js";
import { totalsOf } from "../../../src/checks/coverage/merge-coverage.js";
import { detectFormat, parseReport } from "../../../src/checks/coverage/read-report.js";
import type { CoverageReport, FileCoverage } from "../../../src/checks/coverage/types.js";

function hitsOf(files: readonly FileCoverage[]): Record<string, Array<[number, number]>> {
  return Object.fromEntries(files.map((file) => [file.path, [...file.lines].sort((a, b) => a[0] - b[0])]));
}

const COBERTURA = `<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage version="7.4" line-rate="0.99" lines-valid="5" lines-covered="3">
  <!-- line-rate above is deliberately wrong: totals come from the lines -->
  <sources><source>/home/runner/work/shop/shop/src</source></sources>
  <packages>
    <package name="shop">
      <classes>
        <class name="cart.py" filename="shop/cart.py">
          <methods><method name="add"><lines><line number="1" hits="1"/></lines></method></methods>
          <lines>
            <line number="1" hits="1"/>
            <line number="2" hits="0"/>
            <line number="4" hits="3" branch="true" condition-coverage="50% (1/2)"/>
          </lines>
        </class>
        <class name="Cart.Inner" filename="shop/cart.py">
          <lines><line number="2" hits="2"/><line number="7" hits="0"/></lines>
        </class>
        <class name="empty.py" filename="shop/empty.py"><lines/></class>
      </classes>
    </package>
  </packages>
</coverage>`;

describe("Cobertura", () => {
  it("reads a class's own lines, merges a file split over classes and strips the runner's checkout", () => {
    const parsed = parseCobertura(COBERTURA, "coverage.xml");
    expect(parsed.ok).toBe(true);
    const report = (parsed as { report: CoverageReport }).report;
    // cart.py: lines 1 (1 hit), 2 (0 + 2 = 2 hits), 4 (3), 7 (0); the method's line 1 is not counted twice.
    expect(hitsOf(report.files)).toEqual({ "src/shop/cart.py": [[1, 1], [2, 2], [4, 3], [7, 0]], "src/shop/empty.py": [] });
    // 4 executable lines, 3 with hits: the root's line-rate (0.99) is ignored.
    expect(totalsOf(report.files)).toEqual({ executable: 4, covered: 3 });
    expect(report.files[0]!.candidates).toEqual(["/home/runner/work/shop/shop/src/shop/cart.py", "shop/cart.py"]);
  });

  it("decodes the predefined entities in file names", () => {
    const xml = `<coverage><packages><package><classes><class filename="a&amp;b.py"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>`;
    const parsed = parseCobertura(xml, "c.xml");
    expect(parsed.ok && parsed.report.files.map((file) => file.path)).toEqual(["a&b.py"]);
  });

  const malformed: Array<{ name: string; xml: string; message: RegExp }> = [
    { name: "not well-formed", xml: "<coverage><packages>", message: /c\.xml is not valid Cobertura XML: line 1/ },
    { name: "a line without hits", xml: `<coverage><packages><package><classes><class filename="a.py"><lines><line number="3"/></lines></class></classes></package></packages></coverage>`, message: /a <line> of a\.py has number="3" hits=""/ },
    { name: "line number 0", xml: `<coverage><packages><package><classes><class filename="a.py"><lines><line number="0" hits="1"/></lines></class></classes></package></packages></coverage>`, message: /number="0"/ },
    { name: "a class without a file name", xml: `<coverage><packages><package><classes><class name="X"><lines/></class></classes></package></packages></coverage>`, message: /a <class> \(X\) has no filename/ },
    { name: "another root", xml: "<report/>", message: /root element is not <coverage>/ },
  ];
  it.each(malformed)("$name is a malformed problem, not a throw", ({ xml, message }) => {
    const parsed = parseCobertura(xml, "c.xml");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem.code).toBe("malformed");
    expect(!parsed.ok && parsed.problem.message).toMatch(message);
  });
});

describe("lcov", () => {
  const LCOV = [
    "TN:",
    "SF:/home/runner/work/web/web/src/app.js",
    "FN:1,main",
    "FNDA:1,main",
    "DA:1,1",
    "DA:2,0",
    "DA:3,5,abcdef",
    "BRDA:3,0,0,1",
    "LF:3",
    "LH:2",
    "end_of_record",
    "SF:src/util.js",
    "DA:10,0",
    "end_of_record",
    "",
  ].join("\n");

  it("reads SF and DA records, skipping function and branch records", () => {
    const parsed = parseLcov(LCOV, "lcov.info");
    expect(parsed.ok).toBe(true);
    const report = (parsed as { report: CoverageReport }).report;
    // app.js: 1 (1), 2 (0), 3 (5, with a checksum); util.js: 10 (0).
    expect(hitsOf(report.files)).toEqual({ "src/app.js": [[1, 1], [2, 0], [3, 5]], "src/util.js": [[10, 0]] });
    // 4 executable, 2 covered.
    expect(totalsOf(report.files)).toEqual({ executable: 4, covered: 2 });
  });

  it("keeps a last record whose end_of_record was cut off", () => {
    const parsed = parseLcov("SF:a.js\nDA:1,1\nDA:2,0", "lcov.info");
    expect(parsed.ok && totalsOf(parsed.report.files)).toEqual({ executable: 2, covered: 1 });
  });

  const malformed: Array<{ name: string; text: string; message: RegExp }> = [
    { name: "DA before SF", text: "DA:1,1\n", message: /line 1: DA: outside a file's record/ },
    { name: "a DA without hits", text: "SF:a.js\nDA:1\nend_of_record\n", message: /line 2: "DA:1" is not DA:<line from 1>,<hits>/ },
    { name: "negative hits", text: "SF:a.js\nDA:1,-1\nend_of_record\n", message: /line 2/ },
    { name: "two SF without end_of_record", text: "SF:a.js\nSF:b.js\n", message: /line 2: SF: before the end_of_record/ },
    { name: "no record at all", text: "TN:\n", message: /holds no lcov record/ },
  ];
  it.each(malformed)("$name is a malformed problem", ({ text, message }) => {
    const parsed = parseLcov(text, "lcov.info");
    expect(!parsed.ok && parsed.problem.message).toMatch(message);
  });
});

describe("JUnit", () => {
  const JUNIT = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="outer" tests="99">
    <testcase classname="tests.test_cart" name="test_add" file="tests/test_cart.py" line="12"/>
    <testcase classname="tests.test_cart" name="test_total" file="tests/test_cart.py" line="20">
      <failure message="assert 3 == 4">def test_total():
&gt;       assert total() == 4
E       assert 3 == 4</failure>
    </testcase>
    <testsuite name="inner">
      <testcase classname="tests.test_pay" name="test_card"><error>ConnectionError: refused
  at pay.py:3</error></testcase>
      <testcase classname="tests.test_pay" name="test_skip"><skipped message="no network"/></testcase>
      <testsuite name="deeper"><testcase name="test_deep"/></testsuite>
    </testsuite>
  </testsuite>
</testsuites>`;

  it("counts test cases through nested suites and reads failures and errors", () => {
    const parsed = parseJunit(JUNIT, "junit.xml");
    expect(parsed.ok).toBe(true);
    const report = parsed.ok ? parsed.report : undefined;
    // 5 test cases (the suite's tests="99" is ignored): 1 failure, 1 error, 1 skipped.
    expect(report && { tests: report.tests, skipped: report.skipped, failed: report.failed.length }).toEqual({ tests: 5, skipped: 1, failed: 2 });
    expect(report?.failed.find((test) => test.kind === "failure")).toMatchObject({
      name: "tests.test_cart.test_total",
      message: "assert 3 == 4",
      path: "tests/test_cart.py",
      line: 20,
    });
    expect(report?.failed.find((test) => test.kind === "failure")?.details).toContain(">       assert total() == 4");
    // No message attribute: the first line of the text; no file: no path.
    const error = report?.failed.find((test) => test.kind === "error");
    expect(error).toMatchObject({ name: "tests.test_pay.test_card", message: "ConnectionError: refused" });
    expect(error?.path).toBeUndefined();
  });

  it("reads a lone <testsuite> root", () => {
    const parsed = parseJunit(`<testsuite><testcase name="a"/><testcase name="b"><failure/></testcase></testsuite>`, "j.xml");
    expect(parsed.ok && { tests: parsed.report.tests, failed: parsed.report.failed.map((test) => test.message) }).toEqual({ tests: 2, failed: ["failed"] });
  });

  it.each([
    { depth: 50, expected: { ok: true, tests: 1 } },
    // The XML parser's own bound (100 levels): a clear problem, no stack overflow.
    { depth: 5_000, expected: { ok: false, message: "deep.xml is not valid JUnit XML: Maximum nested tags exceeded." } },
  ])("suites nested $depth deep", ({ depth, expected }) => {
    const xml = `<testsuites>${"<testsuite>".repeat(depth)}<testcase name="deep"/>${"</testsuite>".repeat(depth)}</testsuites>`;
    const parsed = parseJunit(xml, "deep.xml");
    expect(parsed.ok ? { ok: true, tests: parsed.report.tests } : { ok: false, message: parsed.problem.message }).toEqual(expected);
  });
});

describe("entities (billion laughs, external entities)", () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuites><testsuite><testcase name="&lol3;"><failure message="&lol3;"/></testcase></testsuite></testsuites>`;
  const external = `<?xml version="1.0"?>
<!DOCTYPE coverage [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<coverage><packages><package><classes><class filename="&xxe;"><lines/></class></classes></package></packages></coverage>`;

  it.each([
    { name: "a recursive entity in JUnit", text: billionLaughs, format: "junit" as const },
    { name: "an external entity in Cobertura", text: external, format: "cobertura" as const },
  ])("$name is refused before parsing", ({ text, format }) => {
    expect(detectFormat(text)).toBe(format);
    const parsed = parseReport(text, "evil.xml", ["cobertura", "lcov", "junit"]);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatchObject({ code: "entities-refused", message: expect.stringContaining("evil.xml") });
  });

  it("an entity reference without a declaration is left as written, never expanded", () => {
    const parsed = parseJunit(`<testsuite><testcase name="a"><failure message="&lol9; &amp; &#65;"/></testcase></testsuite>`, "j.xml");
    expect(parsed.ok && parsed.report.failed[0]!.message).toBe("&lol9; & A");
  });
});

describe("format by content", () => {
  const cases: Array<{ name: string; text: string; format: string | undefined }> = [
    { name: "Cobertura with a prologue and a comment", text: `\uFEFF<?xml version="1.0"?>\n<!-- generated --><coverage line-rate="1"/>`, format: "cobertura" },
    { name: "JUnit testsuites", text: `<testsuites/>`, format: "junit" },
    { name: "JUnit testsuite with attributes", text: `<?xml version="1.0"?><testsuite name="x"></testsuite>`, format: "junit" },
    { name: "lcov starting with TN:", text: "TN:\nSF:a.js\n", format: "lcov" },
    { name: "lcov starting with SF: after blank lines", text: "\n\nSF:a.js\n", format: "lcov" },
    { name: "an HTML report", text: "<!DOCTYPE html><html><body>coverage</body></html>", format: undefined },
    { name: "JSON", text: `{"total": {"lines": {"pct": 80}}}`, format: undefined },
    { name: "binary", text: "PK\u0003\u0004\u0000\u0000", format: undefined },
    { name: "an empty file", text: "", format: undefined },
  ];
  it.each(cases)("$name: $format", ({ text, format }) => {
    expect(detectFormat(text)).toBe(format);
  });

  it("an unknown format and a format not allowed are distinct problems", () => {
    expect(parseReport("hello", "a.txt", ["lcov"])).toMatchObject({ ok: false, problem: { code: "unknown-format" } });
    expect(parseReport("SF:a.js\nDA:1,1\nend_of_record\n", "lcov.info", ["cobertura"])).toMatchObject({ ok: false, problem: { code: "format-not-allowed", message: expect.stringContaining("lcov.info is lcov") } });
  });
});
