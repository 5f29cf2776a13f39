// The rate-limit hook against GitHub's answers (nock): secondary limits with
// and without headers, a spent primary budget, and the bounds.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { handleRateLimits, isRateLimitError, retryDelayMs } from "../../src/github/rate-limit.js";

const API = "https://api.github.com";
const NOW = 1_700_000_000_000;

function client(sleeps: number[], maxRetries = 3) {
  const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
  return handleRateLimits(octokit, { maxRetries, now: () => NOW, sleep: async (ms) => void sleeps.push(ms) });
}

describe("handleRateLimits", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("retries a secondary rate limit after retry-after seconds", async () => {
    nock(API).get("/repos/a/b").reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "7" });
    nock(API).get("/repos/a/b").reply(200, { full_name: "a/b" });
    const sleeps: number[] = [];
    const { data } = await client(sleeps).rest.repos.get({ owner: "a", repo: "b" });
    expect(data.full_name).toBe("a/b");
    expect(sleeps).toEqual([7_000]);
  });

  it("waits until x-ratelimit-reset on a 429 with a spent budget", async () => {
    nock(API).get("/repos/a/b").reply(429, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 30) });
    nock(API).get("/repos/a/b").reply(200, {});
    const sleeps: number[] = [];
    await client(sleeps).rest.repos.get({ owner: "a", repo: "b" });
    expect(sleeps).toEqual([31_000]);
  });

  it("backs off exponentially without headers, and gives up after maxRetries", async () => {
    nock(API).get("/repos/a/b").times(3).reply(403, { message: "secondary rate limit" });
    const sleeps: number[] = [];
    await expect(client(sleeps, 2).rest.repos.get({ owner: "a", repo: "b" })).rejects.toMatchObject({ status: 403 });
    expect(sleeps).toEqual([60_000, 120_000]);
  });

  it("does not retry a 403 that is not a rate limit", async () => {
    nock(API).get("/repos/a/b").reply(403, { message: "Resource not accessible by integration" });
    const sleeps: number[] = [];
    await expect(client(sleeps).rest.repos.get({ owner: "a", repo: "b" })).rejects.toMatchObject({ status: 403 });
    expect(sleeps).toEqual([]);
  });

  it("waits for the reset before the next request once a response says the budget is spent", async () => {
    nock(API).get("/repos/a/b").reply(200, {}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 10) });
    nock(API).get("/repos/a/c").reply(200, {});
    const sleeps: number[] = [];
    const octokit = client(sleeps);
    await octokit.rest.repos.get({ owner: "a", repo: "b" });
    expect(sleeps).toEqual([]);
    await octokit.rest.repos.get({ owner: "a", repo: "c" });
    expect(sleeps).toEqual([11_000]);
  });

  it.each([
    [{ status: 429 }, true],
    [{ status: 403, message: "You have exceeded a secondary rate limit" }, true],
    [{ status: 403, response: { headers: { "retry-after": "1" } } }, true],
    [{ status: 403, message: "Must have admin rights" }, false],
    [{ status: 500 }, false],
  ])("classifies %j as rate limited: %s", (error, expected) => {
    expect(isRateLimitError(error)).toBe(expected);
  });

  it("computes delays from retry-after, then reset, then the exponential fallback", () => {
    expect(retryDelayMs({ response: { headers: { "retry-after": "3" } } }, 0, NOW)).toBe(3_000);
    expect(retryDelayMs({ response: { headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 5) } } }, 0, NOW)).toBe(6_000);
    expect(retryDelayMs({}, 2, NOW, 1_000)).toBe(4_000);
  });
});
