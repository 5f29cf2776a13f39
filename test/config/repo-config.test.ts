// .github/iact.yml: the schema, the pure parser's problems and lines, and the
// cache that reads the file through Probot's config plugin (nock for GitHub).
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultRepoConfig, mergeConfigs, parseRepoConfig, RepoConfigCache, repoConfigSchema } from "../../src/config/repo-config.js";
import type { RepoConfigProblem } from "../../src/config/repo-config.js";

const API = "https://api.github.com";
const CONFIG_PATH = /\/contents\/\.github(%2F|\/)iact\.yml/;
const octokit = () =>
  new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } }) as InstanceType<typeof ProbotOctokit>;

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

describe("RepoConfigCache", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("gives the defaults without the file (repository then owner's .github: 2 GETs) and caches them", async () => {
    nock(API).get(/\/repos\/o\/r\/contents\//).reply(404, { message: "Not Found" });
    nock(API).get(/\/repos\/o\/\.github\/contents\//).reply(404, { message: "Not Found" });
    const cache = new RepoConfigCache();
    expect(await cache.get(octokit(), "o", "r")).toEqual({ ok: true, config: defaultRepoConfig, found: false });
    expect(await cache.get(octokit(), "O", "R")).toEqual({ ok: true, config: defaultRepoConfig, found: false });
    expect(cache.apiCalls).toBe(2);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reads the repository's file, and again after invalidate", async () => {
    nock(API).get(CONFIG_PATH).reply(200, "checks:\n  docs:\n    enabled: false\n", { "content-type": "text/plain; charset=utf-8" });
    const cache = new RepoConfigCache();
    const first = await cache.get(octokit(), "o", "r");
    expect(first.ok && first.config.checks.docs.enabled).toBe(false);
    expect(first.ok && first.found).toBe(true);

    cache.invalidate("o", "r");
    nock(API).get(CONFIG_PATH).reply(200, "checks:\n  docs:\n    root: handbook\n", { "content-type": "text/plain; charset=utf-8" });
    const second = await cache.get(octokit(), "o", "r");
    expect(second.ok && second.config.checks.docs).toMatchObject({ enabled: true, root: "handbook/" });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reads the file once when two handlers of the same push both invalidate it", async () => {
    nock(API).get(CONFIG_PATH).reply(200, "checks: {}\n", { "content-type": "text/plain; charset=utf-8" });
    const cache = new RepoConfigCache();
    cache.invalidate("o", "r"); // the DORA capture handler
    const first = cache.get(octokit(), "o", "r");
    cache.invalidate("o", "r"); // the checks handler, a moment later
    const second = cache.get(octokit(), "o", "r");
    expect(second).toBe(first);
    expect((await second).ok).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("merges the organisation's file under the repository's through _extends", async () => {
    nock(API)
      .get(/\/repos\/o\/r\/contents\//)
      .reply(200, "_extends: .github\nchecks:\n  docs:\n    root: handbook\n", { "content-type": "text/plain; charset=utf-8" })
      .get(/\/repos\/o\/\.github\/contents\//)
      .reply(200, "checks:\n  docs:\n    enabled: false\n    root: docs\n", { "content-type": "text/plain; charset=utf-8" });
    const result = await new RepoConfigCache().get(octokit(), "o", "r");
    expect(result.ok && result.config.checks.docs).toMatchObject({ enabled: false, root: "handbook/" });
  });

  it("locates a schema problem in the file's text (one more GET, only on the error path)", async () => {
    const text = "checks:\n  docs:\n    root: docs\n  restrictions:\n    enabeld: false\n";
    nock(API).get(CONFIG_PATH).times(2).reply(200, text, { "content-type": "text/plain; charset=utf-8" });
    const cache = new RepoConfigCache();
    expect(await cache.get(octokit(), "o", "r")).toEqual({
      ok: false,
      file: ".github/iact.yml",
      problems: [{ message: 'unknown setting "enabeld"', path: "checks.restrictions.enabeld", line: 5, column: 5 }],
    });
    expect(cache.apiCalls).toBe(2);
    // Invalid results are cached like valid ones.
    await cache.get(octokit(), "o", "r");
    expect(cache.apiCalls).toBe(2);
  });

  it("turns the plugin's invalid YAML error into a problem with its line", async () => {
    nock(API).get(CONFIG_PATH).times(2).reply(200, "checks:\n  docs: [unclosed\n", { "content-type": "text/plain; charset=utf-8" });
    const result = await new RepoConfigCache().get(octokit(), "o", "r");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ message: expect.stringMatching(/^YAML syntax error/), line: expect.any(Number) });
  });

  it("does not cache a GitHub failure", async () => {
    nock(API).get(CONFIG_PATH).reply(502, { message: "Bad gateway" });
    const cache = new RepoConfigCache();
    await expect(cache.get(octokit(), "o", "r")).rejects.toMatchObject({ status: 502 });
    nock(API).get(CONFIG_PATH).reply(200, "checks: {}\n", { "content-type": "text/plain; charset=utf-8" });
    expect((await cache.get(octokit(), "o", "r")).ok).toBe(true);
  });
});
