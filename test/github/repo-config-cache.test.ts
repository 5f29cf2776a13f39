// The cache of .github/iact.yml that reads the file through Probot's config
// plugin (nock for GitHub).
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultRepoConfig } from "../../src/config/repo-config.js";
import { RepoConfigCache } from "../../src/github/repo-config-cache.js";

const API = "https://api.github.com";
const CONFIG_PATH = /\/contents\/\.github(%2F|\/)iact\.yml/;
const octokit = () =>
  new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } }) as InstanceType<typeof ProbotOctokit>;

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

  it("shares one read between callers until it is invalidated, even while the read is in flight", async () => {
    nock(API).get(CONFIG_PATH).reply(200, "checks: {}\n", { "content-type": "text/plain; charset=utf-8" });
    const cache = new RepoConfigCache();
    const first = cache.get(octokit(), "o", "r");
    const second = cache.get(octokit(), "o", "r");
    expect(second).toBe(first);
    expect((await second).ok).toBe(true);
    expect(cache.apiCalls).toBe(1);
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
