// Cobertura XML (coverage.py's `coverage xml`, gcovr, JaCoCo converters,
// Istanbul's cobertura reporter): `<coverage>` with `<sources><source>` and
// `<packages><package><classes><class filename=…><lines><line number hits/>`.
// Only a class's own `<lines>` are read; the `<methods>` repeat them. A file
// split over several classes is merged (hits added up). The root's
// `line-rate` is not trusted: totals are counted from the lines.
import { joinPath, normalisePath, displayPath } from "./coverage-paths.js";
import { mergeFileCoverage } from "./merge-coverage.js";
import { attribute, children, elementText, parseXml } from "./xml.js";
import type { CoverageReport, FileCoverage, ParseOutcome } from "./types.js";

const ARRAYS = new Set(["source", "package", "class", "line"]);

const NON_NEGATIVE_INTEGER = /^\d{1,15}$/;

export function parseCobertura(text: string, fileName: string): ParseOutcome<CoverageReport> {
  const parsed = parseXml(text, ARRAYS);
  if (!parsed.ok) return { ok: false, problem: { code: parsed.entities ? "entities-refused" : "malformed", message: `${fileName} is not valid Cobertura XML: ${parsed.reason}.` } };
  const root = parsed.document.coverage;
  if (typeof root !== "object" || root === null) {
    return { ok: false, problem: { code: "malformed", message: `${fileName} is not Cobertura XML: its root element is not <coverage>.` } };
  }
  const sources = children(children(root, "sources")[0], "source")
    .map((source) => elementText(source)?.trim() ?? "")
    .filter((source) => source !== "");
  const files: FileCoverage[] = [];
  for (const pkg of children(children(root, "packages")[0], "package")) {
    for (const cls of children(children(pkg, "classes")[0], "class")) {
      const filename = attribute(cls, "filename");
      if (!filename) {
        return { ok: false, problem: { code: "malformed", message: `${fileName}: a <class> (${attribute(cls, "name") ?? "without a name"}) has no filename attribute.` } };
      }
      const lines = new Map<number, number>();
      for (const line of children(children(cls, "lines")[0], "line")) {
        const number = attribute(line, "number") ?? "";
        const hits = attribute(line, "hits") ?? "";
        if (!NON_NEGATIVE_INTEGER.test(number) || Number(number) < 1 || !NON_NEGATIVE_INTEGER.test(hits)) {
          return { ok: false, problem: { code: "malformed", message: `${fileName}: a <line> of ${filename} has number="${number}" hits="${hits}"; both must be whole numbers, the line from 1.` } };
        }
        lines.set(Number(number), (lines.get(Number(number)) ?? 0) + Number(hits));
      }
      const candidates = [...sources.map((source) => joinPath(source, filename)), normalisePath(filename)];
      const unique = [...new Set(candidates)];
      files.push({ path: displayPath(unique[0]!), candidates: unique, lines });
    }
  }
  return { ok: true, report: { kind: "coverage", format: "cobertura", files: mergeFileCoverage(files) } };
}
