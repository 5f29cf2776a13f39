// The GitHub request observer on a real Probot Octokit, GitHub faked with
// nock: every request is reported under its route template, including the
// pages Octokit follows through GitHub's concrete `link` URLs, with its status,
// the rate-limit budget left and, for a completed check run, its conclusion.
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { observeGitHubRequests, UNKNOWN_ENDPOINT } from "../../src/github/request-observer.js";

const API = "https://api.github.com";

function recordingObserver() {
  const requests: Array<{ endpoint: string; status: number }> = [];
  const budgets: Array<{ installation: number | "app"; remaining: number }> = [];
  const conclusions: string[] = [];
  return {
    requests,
    budgets,
    conclusions,
    observer: {
      request: (endpoint: string, status: number) => requests.push({ endpoint, status }),
      rateLimit: (installation: number | "app", remaining: number) => budgets.push({ installation, remaining }),
      checkRunCompleted: (conclusion: string) => conclusions.push(conclusion),
    },
  };
}

function client(observer: ReturnType<typeof recordingObserver>["observer"], installationId?: number) {
  const Octokit = ProbotOctokit.plugin(observeGitHubRequests(observer));
  return new Octokit({
    auth: { token: "ghs_test", ...(installationId ? { installationId } : {}) },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

describe("observeGitHubRequests", () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("reports every page of a paginated list under the route template, never the concrete URL", async () => {
    const recorded = recordingObserver();
    nock(API)
      .get("/repos/octo-org/secret-project/pulls")
      .query(true)
      .reply(200, [{ number: 1 }], { link: `<${API}/repositories/1296269/pulls?state=all&page=2>; rel="next"`, "x-ratelimit-remaining": "4999" })
      .get("/repositories/1296269/pulls")
      .query({ state: "all", page: "2" })
      .reply(200, [{ number: 2 }], { "x-ratelimit-remaining": "4998" });

    const octokit = client(recorded.observer, 77);
    const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner: "octo-org", repo: "secret-project", state: "all" });

    expect(pulls.map((pull) => pull.number)).toEqual([1, 2]);
    expect(recorded.requests).toEqual([
      { endpoint: "GET /repos/{owner}/{repo}/pulls", status: 200 },
      { endpoint: "GET /repos/{owner}/{repo}/pulls", status: 200 },
    ]);
    expect(recorded.budgets).toEqual([
      { installation: 77, remaining: 4999 },
      { installation: 77, remaining: 4998 },
    ]);
  });

  it("reports a failed request with its status, and the app's own calls under \"app\"", async () => {
    const recorded = recordingObserver();
    nock(API).get("/repos/octo-org/gone").reply(404, { message: "Not Found" }, { "x-ratelimit-remaining": "120" });

    await expect(client(recorded.observer).request("GET /repos/{owner}/{repo}", { owner: "octo-org", repo: "gone" })).rejects.toMatchObject({ status: 404 });

    expect(recorded.requests).toEqual([{ endpoint: "GET /repos/{owner}/{repo}", status: 404 }]);
    expect(recorded.budgets).toEqual([{ installation: "app", remaining: 120 }]);
  });

  it("reports a concrete URL that matches no known route as \"other\"", async () => {
    const recorded = recordingObserver();
    nock(API).get("/no-such-api/octo-org/42").reply(200, {});

    await client(recorded.observer).request(`GET ${API}/no-such-api/octo-org/42`);

    expect(recorded.requests).toEqual([{ endpoint: UNKNOWN_ENDPOINT, status: 200 }]);
  });

  it("reports the conclusion of a check run a request completes, and none for one still in progress", async () => {
    const recorded = recordingObserver();
    nock(API)
      .post("/repos/octo-org/app/check-runs")
      .reply(201, { id: 5 })
      .patch("/repos/octo-org/app/check-runs/5")
      .reply(200, { id: 5 });
    const octokit = client(recorded.observer, 77);

    await octokit.rest.checks.create({ owner: "octo-org", repo: "app", name: "iact/docs", head_sha: "a".repeat(40), status: "in_progress" });
    await octokit.rest.checks.update({ owner: "octo-org", repo: "app", check_run_id: 5, status: "completed", conclusion: "neutral" });

    expect(recorded.conclusions).toEqual(["neutral"]);
    expect(recorded.requests.map((request) => request.endpoint)).toEqual([
      "POST /repos/{owner}/{repo}/check-runs",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
  });
});
