// Reports are parsed in a worker thread with a capped heap: the same result
// as on the main thread, and a report too big for the heap is a problem to
// show, not a crash.
import { strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { collectReports } from "../../../src/checks/coverage/collect-reports.js";
import { collectReportsOffThread } from "../../../src/github/checks/report-parsing.js";

const lcov = (files: number) =>
  Array.from({ length: files }, (_, file) => `SF:src/f${file}.js\n${Array.from({ length: 100 }, (_, line) => `DA:${line + 1},${line % 2}`).join("\n")}\nend_of_record\n`).join("");

describe("collectReportsOffThread", () => {
  it("gives what collectReports gives on the main thread", async () => {
    const artifacts = () => [{ artifact: "coverage", files: [{ name: "lcov.info", bytes: strToU8(lcov(3)) }, { name: "junit.xml", bytes: strToU8(`<testsuite><testcase name="a"><failure message="m"/></testcase></testsuite>`) }] }];
    expect(await collectReportsOffThread(artifacts(), ["lcov", "junit"])).toEqual(collectReports(artifacts(), ["lcov", "junit"]));
  });

  it("reports a heap exhausted by the reports as a problem", async () => {
    // About 20 MB of lcov, 200,000 lines in maps, against a 16 MB heap.
    const collected = await collectReportsOffThread([{ artifact: "coverage", files: [{ name: "lcov.info", bytes: strToU8(lcov(2_000)) }] }], ["lcov"], 16);
    expect(collected).toEqual({ reports: [], problems: ["the reports of artifact coverage need more than 16 MB of memory to parse; lower checks.coverage.maxInflatedBytes or upload smaller reports"] });
  });
});
