// .github/iact.yml: the schema and the pure parser's problems and lines (the
// cache that reads the file from GitHub: test/github/repo-config-cache.test.ts).
import { describe, expect, it } from "vitest";
import { defaultRepoConfig, mergeConfigs, parseRepoConfig, repoConfigSchema } from "../../src/config/repo-config.js";
import type { RepoConfigProblem } from "../../src/config/repo-config.js";

function problemsOf(text: string): RepoConfigProblem[] {
  const result = parseRepoConfig(text);
  if (result.ok) throw new Error("expected problems");
  expect(result.file).toBe(".github/iact.yml");
  return result.problems;
}

describe("repoConfigSchema", () => {
  it("gives every section its defaults when the file is empty or absent", () => {
    expect(repoConfigSchema.parse(undefined)).toEqual(defaultRepoConfig);
    expect(defaultRepoConfig.checks.restrictions.enabled).toBe(true);
    expect(defaultRepoConfig.checks.docs.root).toBe("docs/");
    expect(defaultRepoConfig.dora.enabled).toBe(true);
    expect(defaultRepoConfig.reports).toEqual({ enabled: false, schedule: "0 6 1 * *", timezone: "UTC", labels: ["dora-report"], assignees: [], locale: "en", environments: [] });
    for (const text of ["", "# only a comment\n", "checks: {}\n"]) {
      const result = parseRepoConfig(text);
      expect(result).toEqual({ ok: true, config: defaultRepoConfig, found: true });
    }
  });

  it("accepts turning a check off, changing paths and adding rules", () => {
    const result = parseRepoConfig(
      [
        "checks:",
        "  docs:",
        "    enabled: false",
        "  restrictions:",
        "    ignore: [legacy/**]",
        "    custom:",
        "      - id: no-memcached",
        "        type: forbidden-dependency",
        "        names: [pymemcache]",
        "        message: Use the database cache.",
        "_extends: .github",
      ].join("\n"),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config.checks.docs.enabled).toBe(false);
    expect(result.config.checks.restrictions.ignore).toEqual(["legacy/**"]);
    expect(result.config.checks.restrictions.custom[0]?.id).toBe("no-memcached");
  });
});

describe("parseRepoConfig problems", () => {
  it.each([
    ["an unknown top-level key", "dora: {}\nchekcs: {}\n", [{ path: "chekcs", line: 2, column: 1, message: 'unknown setting "chekcs"' }]],
    ["an unknown key in a section", "checks:\n  docs:\n    rot: docs/\n", [{ path: "checks.docs.rot", line: 3, column: 5, message: 'unknown setting "rot"' }]],
    ["a wrong type, pointing at the value", "checks:\n  docs:\n    root: 3\n", [{ path: "checks.docs.root", line: 3, column: 11, message: "expected string, received number" }]],
    [
      "a union with what each alternative wanted",
      "checks:\n  restrictions:\n    rules:\n      no-redis-dependency: fail\n",
      [{ path: "checks.restrictions.rules.no-redis-dependency", line: 4, column: 28, message: expect.stringContaining('expected one of "failure"') }],
    ],
    [
      "a missing required setting, at its list item",
      "checks:\n  restrictions:\n    custom:\n      - id: x\n        type: forbidden-path\n        paths: [a]\n",
      [{ path: "checks.restrictions.custom.0.message", line: 4, column: 9, message: "required setting is missing (string)" }],
    ],
    ["a reports schedule that is not a cron expression", "reports:\n  enabled: true\n  schedule: 0 6 31W * *\n", [{ path: "reports.schedule", line: 3, message: expect.stringContaining("the W, # and nL day tokens are not supported") }]],
    ["a reports time zone that does not exist", "reports:\n  timezone: Mars/Olympus\n", [{ path: "reports.timezone", line: 2, message: "must be an IANA time zone such as UTC or America/Bogota" }]],
    ["a reports locale other than en or es", "reports:\n  locale: fr\n", [{ path: "reports.locale", line: 2, message: expect.stringContaining('"en"') }]],
    ["reports without a label to find them by", "reports:\n  labels: []\n", [{ path: "reports.labels", line: 2, message: "needs at least one label: the report issues are found by the first" }]],
    ["a YAML syntax error", "checks:\n  docs: {root: docs/\n", [{ path: "", line: expect.any(Number), message: expect.stringMatching(/^YAML syntax error/) }]],
    ["a duplicate key", "checks: {}\nchecks: {}\n", [{ path: "", line: 2, message: expect.stringMatching(/unique/) }]],
    ["a list instead of a mapping", "- checks\n", [{ path: "", line: 1, column: 1, message: "expected object, received array" }]],
  ])("reports %s with its line", (_label, text, expected) => {
    expect(problemsOf(text)).toEqual(expected.map((problem) => expect.objectContaining(problem)));
  });

  it("lists problems in line order", () => {
    const problems = problemsOf("checks:\n  restrictions:\n    enabled: nope\n  docs:\n    root: 3\nzzz: 1\n");
    expect(problems.map((problem) => problem.line)).toEqual([3, 5, 6]);
  });
});

describe("mergeConfigs", () => {
  it("merges objects key by key and replaces lists (later layers win)", () => {
    expect(mergeConfigs([{ checks: { docs: { root: "a/", exclude: ["x"] } } }, { checks: { docs: { exclude: ["y"] }, restrictions: { enabled: false } } }])).toEqual({
      checks: { docs: { root: "a/", exclude: ["y"] }, restrictions: { enabled: false } },
    });
  });
});
