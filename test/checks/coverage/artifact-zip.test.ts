// Opening an artifact's zip within limits: declared sizes are checked before
// anything is inflated, and nothing throws.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readArtifactZip } from "../../../src/checks/coverage/artifact-zip.js";
import { declareSize } from "../../support/artifact-zips.js";

const limits = { maxInflatedBytes: 1024 * 1024 };

describe("readArtifactZip", () => {
  it("returns the files, skipping folders", () => {
    const zip = zipSync({ "reports/": {}, "reports/lcov.info": strToU8("SF:a.js\n"), "junit.xml": strToU8("<testsuite/>") });
    const contents = readArtifactZip(zip, limits);
    expect(contents.ok && contents.entries.map((entry) => entry.name).sort()).toEqual(["junit.xml", "reports/lcov.info"]);
  });

  it("refuses a zip bomb by its declared size, before inflating it", () => {
    // 2 MB of zeros compresses to about 2 KB; the limit is 1 MB.
    const zip = zipSync({ "coverage.xml": new Uint8Array(2 * 1024 * 1024) });
    expect(zip.byteLength).toBeLessThan(10_000);
    expect(readArtifactZip(zip, limits)).toEqual({ ok: false, code: "too-large", reason: "its files unpack to more than 1 MB (coverage.xml alone declares 2 MB)" });
  });

  it("refuses files whose sizes add up past the limit", () => {
    const zip = zipSync({ "a.xml": new Uint8Array(600 * 1024), "b.xml": new Uint8Array(600 * 1024) });
    expect(readArtifactZip(zip, limits)).toMatchObject({ ok: false, code: "too-large" });
  });

  it("cuts an entry that lies about its size at the size it declares", () => {
    // 2 MB of zeros declared as 100 bytes: inflated into 100 bytes, not 2 MB.
    const zip = declareSize(zipSync({ "lcov.info": new Uint8Array(2 * 1024 * 1024) }), 100);
    const contents = readArtifactZip(zip, limits);
    expect(contents.ok && contents.entries[0]!.bytes.byteLength).toBe(100);
  });

  it("refuses more entries than the limit", () => {
    const files = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`f${index}.txt`, strToU8("x")]));
    expect(readArtifactZip(zipSync(files), { ...limits, maxEntries: 10 })).toEqual({ ok: false, code: "too-large", reason: "it holds more than 10 files" });
  });

  it.each([
    { name: "0 bytes", zip: new Uint8Array(0), code: "empty" },
    { name: "a zip with no file", zip: zipSync({}), code: "empty" },
    { name: "not a zip", zip: strToU8("<html>Not Found</html>"), code: "corrupt" },
    { name: "a truncated zip", zip: zipSync({ "a.xml": strToU8("<coverage/>".repeat(100)) }).slice(0, 40), code: "corrupt" },
  ])("$name: $code, no throw", ({ zip, code }) => {
    expect(readArtifactZip(zip, limits)).toMatchObject({ ok: false, code });
  });
});
