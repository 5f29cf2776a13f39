// The files of the artifacts read -> one coverage (every coverage report
// merged), one test result (every JUnit report added up), what was read, and
// the problems to show. A file in no known format is skipped quietly when
// its artifact holds a report (an HTML coverage site beside coverage.xml);
// an artifact with no report at all is a problem, and so is any report that
// is malformed or refused.
import { plural } from "../check-output.js";
import { mergeFileCoverage } from "./merge-coverage.js";
import { parseReport } from "./read-report.js";
import type { ReportRead } from "./coverage-output.js";
import type { FileCoverage, ReportFormat, TestReport } from "./types.js";

export interface ArtifactFiles {
  artifact: string;
  files: ReadonlyArray<{ name: string; bytes: Uint8Array }>;
}

export interface CollectedReports {
  /** Merged per-file coverage; undefined when no coverage report was read. */
  coverage?: FileCoverage[];
  tests?: TestReport;
  reports: ReportRead[];
  problems: string[];
}

const FORMAT_NAMES: Record<ReportFormat, string> = { cobertura: "Cobertura", lcov: "lcov", junit: "JUnit" };

/** Names listed when an artifact holds no report. */
const LISTED_NAMES = 5;

export function collectReports(artifacts: readonly ArtifactFiles[], formats: readonly ReportFormat[]): CollectedReports {
  const decoder = new TextDecoder("utf-8");
  const coverage: FileCoverage[] = [];
  let sawCoverage = false;
  let tests: TestReport | undefined;
  const reports: ReportRead[] = [];
  const problems: string[] = [];
  for (const artifact of artifacts) {
    let readHere = 0;
    const unknown: string[] = [];
    for (const file of artifact.files) {
      const label = `${artifact.artifact}/${file.name}`;
      const outcome = parseReport(decoder.decode(file.bytes), label, formats);
      if (!outcome.ok) {
        if (outcome.problem.code === "unknown-format") unknown.push(file.name);
        else problems.push(outcome.problem.message);
        continue;
      }
      readHere += 1;
      const { report } = outcome;
      if (report.kind === "coverage") {
        sawCoverage = true;
        coverage.push(...report.files);
        reports.push({ artifact: artifact.artifact, file: file.name, description: `${FORMAT_NAMES[report.format]}, ${plural(report.files.length, "source file")}` });
      } else {
        tests = tests ? { ...tests, tests: tests.tests + report.tests, skipped: tests.skipped + report.skipped, failed: [...tests.failed, ...report.failed] } : report;
        reports.push({ artifact: artifact.artifact, file: file.name, description: `JUnit, ${plural(report.tests, "test")}` });
      }
    }
    if (readHere === 0 && unknown.length > 0) {
      const names = unknown.slice(0, LISTED_NAMES).join(", ") + (unknown.length > LISTED_NAMES ? `, … (${unknown.length} files)` : "");
      problems.push(`artifact ${artifact.artifact} holds no report in a format iact-bot reads (Cobertura XML, lcov, JUnit XML): ${names}`);
    }
  }
  return { ...(sawCoverage ? { coverage: mergeFileCoverage(coverage) } : {}), ...(tests ? { tests } : {}), reports, problems };
}
