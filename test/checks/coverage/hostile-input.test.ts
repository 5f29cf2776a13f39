// Report files and artifact zips are written by whoever opens a pull
// request: whatever the bytes, the core answers with a report or a problem,
// never a throw. fast-check with a fixed seed; mutations of valid files as
// well as random text, so the parsers get past their first line.
import fc from "fast-check";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readArtifactZip } from "../../../src/checks/coverage/artifact-zip.js";
import { parseReport } from "../../../src/checks/coverage/read-report.js";

const ALL = ["cobertura", "lcov", "junit"] as const;
const SEEDS = { seed: 20261129, numRuns: 300 };

const VALID = [
  `<coverage><sources><source>src</source></sources><packages><package><classes><class filename="a.py"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>`,
  "TN:\nSF:a.js\nDA:1,1\nDA:2,0\nend_of_record\n",
  `<testsuites><testsuite><testcase name="a" file="t.py" line="3"><failure message="m">trace</failure></testcase></testsuite></testsuites>`,
];

/** A valid report with a slice replaced by arbitrary text. */
const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat(), fc.string({ unit: "binary", maxLength: 40 }))
  .map(([text, start, length, insert]) => {
    const from = start % (text.length + 1);
    return text.slice(0, from) + insert + text.slice(from + (length % 20));
  });

function outcomeOf(text: string): string {
  const parsed = parseReport(text, "fuzz", ALL);
  return parsed.ok ? parsed.report.kind : parsed.problem.code;
}

describe("hostile report files", () => {
  it("random text and mutated reports give a report or a problem", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ unit: "binary", maxLength: 200 })), (text) => {
        expect(["coverage", "tests", "malformed", "unknown-format", "entities-refused"]).toContain(outcomeOf(text));
      }),
      SEEDS,
    );
  });

  it("random bytes and damaged zips are refused with a code", () => {
    const zip = zipSync({ "coverage.xml": strToU8(VALID[0]!), "lcov.info": strToU8(VALID[1]!) });
    const damaged = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([offset, value]) => {
      const copy = zip.slice();
      copy[offset % copy.length] = value;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.uint8Array({ maxLength: 300 })), (bytes) => {
        const contents = readArtifactZip(bytes, { maxInflatedBytes: 1024 * 1024 });
        expect(contents.ok || ["too-large", "corrupt", "empty"].includes(contents.code)).toBe(true);
      }),
      SEEDS,
    );
  });
});
