// What the coverage gate's core costs on large artifacts: a zip holding a
// Cobertura XML, an lcov tracefile or a JUnit XML of growing size (up to the
// default inflated limit, 100 MB), opened, parsed and judged as the gate
// does (the gate parses in a worker thread, report-parsing.ts; here it is
// the main one). Each case runs in its own child process so its peak RSS is
// its own.
// Run alone:
//   npx tsx bench/coverage-reports.ts
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";

import { readArtifactZip } from "../src/checks/coverage/artifact-zip.js";
import { collectReports } from "../src/checks/coverage/collect-reports.js";
import { coverageConfigSchema } from "../src/checks/coverage/config.js";
import { evaluateGate } from "../src/checks/coverage/gate.js";
import { totalsOf } from "../src/checks/coverage/merge-coverage.js";
import { runCasesInOwnProcesses } from "./case-processes.js";

const MB = 1024 * 1024;
const LINES_PER_FILE = 200;

function cobertura(bytes: number): string {
  const parts = [`<?xml version="1.0" ?>\n<coverage><sources><source>/home/runner/work/r/r/src</source></sources><packages><package name="p"><classes>`];
  let length = parts[0]!.length;
  for (let file = 0; length < bytes; file++) {
    const lines = Array.from({ length: LINES_PER_FILE }, (_, line) => `<line number="${line + 1}" hits="${(file + line) % 5}"/>`).join("");
    const part = `<class name="m${file}" filename="pkg${file % 50}/module_${file}.py"><lines>${lines}</lines></class>`;
    parts.push(part);
    length += part.length;
  }
  parts.push("</classes></package></packages></coverage>");
  return parts.join("");
}

function lcov(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let file = 0; length < bytes; file++) {
    const part = `SF:/home/runner/work/r/r/src/file_${file}.js\n${Array.from({ length: LINES_PER_FILE }, (_, line) => `DA:${line + 1},${(file + line) % 5}`).join("\n")}\nend_of_record\n`;
    parts.push(part);
    length += part.length;
  }
  return parts.join("");
}

function junit(bytes: number): string {
  const parts = [`<?xml version="1.0"?><testsuites><testsuite name="all">`];
  let length = parts[0]!.length;
  for (let test = 0; length < bytes; test++) {
    const part = test % 100 === 0
      ? `<testcase classname="tests.test_${test}" name="test_case_${test}" file="tests/test_${test}.py" line="${test % 300}"><failure message="assert ${test} == 0">E   assert ${test} == 0</failure></testcase>`
      : `<testcase classname="tests.test_${test}" name="test_case_${test}" file="tests/test_${test}.py" line="${test % 300}" time="0.01"/>`;
    parts.push(part);
    length += part.length;
  }
  parts.push("</testsuite></testsuites>");
  return parts.join("");
}

const CASES: Record<string, () => { name: string; text: string }> = {
  "cobertura-10MB": () => ({ name: "coverage.xml", text: cobertura(10 * MB) }),
  "cobertura-50MB": () => ({ name: "coverage.xml", text: cobertura(50 * MB) }),
  "cobertura-100MB": () => ({ name: "coverage.xml", text: cobertura(99 * MB) }),
  "lcov-10MB": () => ({ name: "lcov.info", text: lcov(10 * MB) }),
  "lcov-100MB": () => ({ name: "lcov.info", text: lcov(99 * MB) }),
  "junit-10MB": () => ({ name: "junit.xml", text: junit(10 * MB) }),
  "junit-50MB": () => ({ name: "junit.xml", text: junit(50 * MB) }),
};

/** In the child: build the artifact, then time the gate's own work on it. */
async function runCase(name: string): Promise<void> {
  const config = coverageConfigSchema.parse(undefined);
  const file = CASES[name]!();
  const zip = zipSync({ [file.name]: strToU8(file.text) });
  const inflatedBytes = Buffer.byteLength(file.text);
  file.text = "";
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const contents = readArtifactZip(zip, { maxInflatedBytes: config.maxInflatedBytes });
  if (!contents.ok) throw new Error(contents.reason);
  const collected = collectReports([{ artifact: "bench", files: contents.entries }], config.formats);
  const total = collected.coverage ? totalsOf(collected.coverage) : undefined;
  const verdict = evaluateGate({ total, tests: collected.tests, patch: { unavailable: "bench" }, problems: collected.problems }, { threshold: config.threshold });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `${JSON.stringify({
      zip_mb: Math.round((zip.byteLength / MB) * 10) / 10,
      inflated_mb: Math.round((inflatedBytes / MB) * 10) / 10,
      ms: Math.round(ms),
      rss_before_mb: Math.round(rssBefore / MB),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      files: collected.coverage?.length ?? 0,
      tests: collected.tests?.tests ?? 0,
      conclusion: verdict.conclusion,
      problems: collected.problems.length,
    })}\n`,
  );
}

export async function benchCoverageReports(): Promise<Record<string, unknown>> {
  const cases = await runCasesInOwnProcesses<{ peak_rss_mb: number }>(fileURLToPath(import.meta.url), Object.keys(CASES), "coverage-reports");
  const worstRss = Math.max(...Object.values(cases).map((figures) => figures.peak_rss_mb));
  return { max_inflated_bytes: coverageConfigSchema.parse(undefined).maxInflatedBytes, worst_peak_rss_mb: worstRss, cases };
}

const caseFlag = process.argv.indexOf("--case");
if (caseFlag !== -1) {
  await runCase(process.argv[caseFlag + 1]!);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchCoverageReports(), null, 2));
}
