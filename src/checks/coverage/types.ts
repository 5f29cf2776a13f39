// Shared vocabulary of the coverage gate's pure core: what a report file
// says once parsed (coverage per line, failed tests), and the problems a file
// can have. Nothing here reads a file or the network: the adapter
// (src/github/checks/coverage-gate.ts) hands in bytes and gets results back.

export const REPORT_FORMATS = ["cobertura", "lcov", "junit"] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Line hits of one source file, as one report names it. */
export interface FileCoverage {
  /** The path as the report gives it, forward slashes (Cobertura: joined to its first `<source>`). */
  path: string;
  /**
   * Every spelling of the path the report allows, most likely first: for
   * Cobertura the file name joined to each `<source>`, then the bare name.
   * Matched against repository paths by coverage-paths.ts.
   */
  candidates: string[];
  /** 1-based line number -> hits; only executable lines appear. */
  lines: Map<number, number>;
}

export interface CoverageReport {
  kind: "coverage";
  format: "cobertura" | "lcov";
  files: FileCoverage[];
}

export interface FailedTest {
  /** `classname.name` when the report gives both. */
  name: string;
  /** The failure's (or error's) message attribute, else the first line of its text. */
  message: string;
  /** Full text of the failure element (stack trace), shortened. */
  details?: string;
  /** Repository path of the test file when the report names one (JUnit `file`). */
  path?: string;
  /** 1-based line when the report gives one (JUnit `line`). */
  line?: number;
  /** "failure" (an assertion) or "error" (the test could not run). */
  kind: "failure" | "error";
}

export interface TestReport {
  kind: "tests";
  format: "junit";
  /** Test cases counted (testcase elements). */
  tests: number;
  skipped: number;
  failed: FailedTest[];
}

export type ParsedReport = CoverageReport | TestReport;

/** Why a file could not be used. Never thrown: parsers return it. */
export interface ReportProblem {
  /** Stable code for docs and tests. */
  code: "malformed" | "unknown-format" | "entities-refused" | "format-not-allowed";
  /** One sentence a user can act on, naming the file. */
  message: string;
}

export type ParseOutcome<T> = { ok: true; report: T } | { ok: false; problem: ReportProblem };

/** Lines of one file: executable and covered (hits > 0). */
export interface LineTotals {
  executable: number;
  covered: number;
}
