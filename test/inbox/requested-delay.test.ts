// A delivery that failed on a GitHub rate limit waits as long as GitHub asked.
import { describe, expect, it } from "vitest";
import { requestedDelayMs } from "../../src/inbox/worker.js";

function githubError(status: number, headers: Record<string, string>, message = "API rate limit exceeded") {
  return Object.assign(new Error(message), { status, response: { headers } });
}

const now = Date.UTC(2026, 10, 27, 12, 0, 0);

describe("requestedDelayMs", () => {
  it.each([
    ["a secondary limit with retry-after", githubError(403, { "retry-after": "120" }, "You have exceeded a secondary rate limit"), 120_000],
    ["a 429 with retry-after", githubError(429, { "retry-after": "30" }), 30_000],
    ["a spent primary budget until its reset", githubError(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 600) }), 601_000],
    ["a permission 403", githubError(403, {}, "Resource not accessible by integration"), 0],
    ["an ordinary error", new Error("boom"), 0],
  ])("%s", (_label, error, expected) => {
    expect(requestedDelayMs(error, now)).toBe(expected);
  });

  it("looks inside Probot's AggregateError and keeps the longest delay", () => {
    const error = new AggregateError([new Error("boom"), githubError(403, { "retry-after": "90" }, "secondary rate limit"), githubError(429, { "retry-after": "10" })]);
    expect(requestedDelayMs(error, now)).toBe(90_000);
  });
});
