// One report file's text -> a parsed report, the format told by the content
// (an artifact's file names are whatever the workflow chose): an XML root
// `<coverage>` is Cobertura, `<testsuites>`/`<testsuite>` is JUnit, a text
// whose first line is `TN:` or `SF:` is lcov. Anything else is an unknown
// format; a format the repository did not allow (`formats`) is refused.
import { parseCobertura } from "./cobertura.js";
import { parseJunit } from "./junit.js";
import { parseLcov } from "./lcov.js";
import type { ParsedReport, ParseOutcome, ReportFormat } from "./types.js";

/** Only the start of a file is looked at to tell its format. */
const SNIFF_CHARS = 64 * 1024;

const XML_PROLOGUE = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi;
const XML_ROOT = /^\s*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]/;

export function detectFormat(text: string): ReportFormat | undefined {
  const head = text.slice(0, SNIFF_CHARS).replace(/^\uFEFF/, "");
  if (head.includes("\u0000")) return undefined;
  const root = XML_ROOT.exec(head.replace(XML_PROLOGUE, ""))?.[1];
  if (root === "coverage") return "cobertura";
  if (root === "testsuites" || root === "testsuite") return "junit";
  const firstLine = head.split(/\r?\n/).find((line) => line.trim() !== "")?.trim() ?? "";
  if (/^(TN|SF):/.test(firstLine)) return "lcov";
  return undefined;
}

export function parseReport(text: string, fileName: string, allowed: readonly ReportFormat[]): ParseOutcome<ParsedReport> {
  const format = detectFormat(text);
  if (!format) {
    return { ok: false, problem: { code: "unknown-format", message: `${fileName} is in no format iact-bot reads (Cobertura XML, lcov, JUnit XML).` } };
  }
  if (!allowed.includes(format)) {
    return { ok: false, problem: { code: "format-not-allowed", message: `${fileName} is ${format}, which checks.coverage.formats does not list.` } };
  }
  const body = text.replace(/^\uFEFF/, "");
  if (format === "cobertura") return parseCobertura(body, fileName);
  if (format === "lcov") return parseLcov(body, fileName);
  return parseJunit(body, fileName);
}
