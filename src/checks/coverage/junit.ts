// JUnit XML (pytest --junitxml, Maven Surefire, jest-junit, go-junit-report,
// …): `<testsuites>` or a lone `<testsuite>`, suites nested at any depth,
// `<testcase>` with `<failure>` or `<error>` (failed) or `<skipped>`. Tests
// are counted from the test cases, not the suites' `tests`/`failures`
// attributes, which some tools leave out or get wrong.
import { displayPath, normalisePath } from "./coverage-paths.js";
import { attribute, children, elementText, parseXml, type XmlNode } from "./xml.js";
import type { FailedTest, ParseOutcome, TestReport } from "./types.js";

const ARRAYS = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);

/** Longest stack trace kept per failed test (it goes into annotations, which GitHub caps at 64 KB). */
export const MAX_FAILURE_DETAILS_CHARS = 4_000;

export function parseJunit(text: string, fileName: string): ParseOutcome<TestReport> {
  const parsed = parseXml(text, ARRAYS);
  if (!parsed.ok) return { ok: false, problem: { code: parsed.entities ? "entities-refused" : "malformed", message: `${fileName} is not valid JUnit XML: ${parsed.reason}.` } };
  const roots = parsed.document.testsuites !== undefined ? children(parsed.document, "testsuites") : parsed.document.testsuite !== undefined ? [{ testsuite: parsed.document.testsuite }] : [];
  if (roots.length === 0) {
    return { ok: false, problem: { code: "malformed", message: `${fileName} is not JUnit XML: its root element is neither <testsuites> nor <testsuite>.` } };
  }
  const report: TestReport = { kind: "tests", format: "junit", tests: 0, skipped: 0, failed: [] };
  // Suites nest; walk them with a stack so that depth costs no call stack.
  const pending: XmlNode[] = roots.flatMap((root) => children(root, "testsuite"));
  // A <testsuites> may hold test cases directly (rare, but some tools write them).
  for (const root of roots) readCases(children(root, "testcase"), report);
  while (pending.length > 0) {
    const suite = pending.pop()!;
    readCases(children(suite, "testcase"), report);
    pending.push(...children(suite, "testsuite"));
  }
  return { ok: true, report };
}

function readCases(cases: readonly XmlNode[], report: TestReport): void {
  for (const testCase of cases) {
    report.tests += 1;
    const failure = children(testCase, "failure")[0];
    const error = children(testCase, "error")[0];
    if (failure || error) report.failed.push(failedTest(testCase, failure ? "failure" : "error", (failure ?? error)!));
    else if (testCase.skipped !== undefined) report.skipped += 1;
  }
}

function failedTest(testCase: XmlNode, kind: FailedTest["kind"], element: XmlNode): FailedTest {
  const name = attribute(testCase, "name") ?? "(unnamed test)";
  const classname = attribute(testCase, "classname");
  const text = elementText(element)?.trim() ?? "";
  const message = attribute(element, "message")?.trim() || text.split("\n")[0]?.trim() || (kind === "error" ? "error" : "failed");
  const test: FailedTest = { name: classname ? `${classname}.${name}` : name, message, kind };
  if (text !== "") test.details = text.length > MAX_FAILURE_DETAILS_CHARS ? `${text.slice(0, MAX_FAILURE_DETAILS_CHARS)}…` : text;
  const file = attribute(testCase, "file");
  if (file) test.path = displayPath(normalisePath(file));
  const line = Number(attribute(testCase, "line"));
  if (Number.isSafeInteger(line) && line >= 0) test.line = Math.max(1, line);
  return test;
}
