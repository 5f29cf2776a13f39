// The layer rules of .dependency-cruiser.mjs (run by `npm run lint`) catch
// what they are meant to: each fixture under test/fixtures/architecture/
// breaks one rule on purpose and must be reported, and src/ and bench/ as
// they are must have no violation at all.
import { cruise } from "dependency-cruiser";
import type { ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { describe, expect, it } from "vitest";

const FIXTURES = "test/fixtures/architecture";

async function violationsIn(paths: string[], baseDir?: string) {
  const options = await extractDepcruiseOptions("./.dependency-cruiser.mjs");
  const result = await cruise(paths, { ...options, ...(baseDir ? { baseDir } : {}) });
  const { summary } = result.output as ICruiseResult;
  return { cruised: summary.totalCruised, violations: summary.violations.map(({ rule, from, to }) => ({ rule: rule.name, from, to })) };
}

describe("layers", () => {
  it("reports an adapter importing application code", async () => {
    const { violations } = await violationsIn(["src"], `${FIXTURES}/upward`);
    expect(violations).toEqual([{ rule: "adapters-only-settings-and-pure", from: "src/store/writer.ts", to: "src/github/observation.ts" }]);
  });

  it("reports two modules that import each other", async () => {
    const { violations } = await violationsIn(["src"], `${FIXTURES}/cycle`);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((violation) => violation.rule === "no-circular")).toBe(true);
    expect(violations.flatMap(({ from, to }) => [from, to]).sort()).toEqual(expect.arrayContaining(["src/http/auth/access.ts", "src/http/router.ts"]));
  });

  it("reports a pure engine doing I/O", async () => {
    const { violations } = await violationsIn(["src"], `${FIXTURES}/impure`);
    expect(violations).toEqual([{ rule: "pure-rooms-no-io", from: "src/checks/engine.ts", to: "fs" }]);
  });

  it("finds no violation in src/ and bench/", async () => {
    const { cruised, violations } = await violationsIn(["src", "bench"]);
    expect(violations).toEqual([]);
    expect(cruised).toBeGreaterThan(100);
  });
});
