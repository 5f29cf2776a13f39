// GitHub's REST API faked permissively, for the fuzz suite and the
// hostile-input tests: every call the app may make is answered, in the shape
// GitHub publishes, whatever the (mutated) owner, repository or sha in its path. An API call the fake does not know gets
// GitHub's 404 and is recorded, so a new call shows up in the suite's output.
import nock from "nock";

const API = "https://api.github.com";

type Reply = [number, unknown];

/** Routes by path; the first pattern that matches answers. */
const ROUTES: Array<{ method: string; path: RegExp; reply: (match: RegExpMatchArray, body: unknown) => Reply }> = [
  {
    method: "POST",
    path: /^\/app\/installations\/[^/]+\/access_tokens$/,
    reply: () => [201, { token: "ghs_fuzzinstallationtoken", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" }],
  },
  // No .github/iact.yml: the defaults apply.
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/contents\//, reply: () => [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }] },
  {
    method: "POST",
    path: /^\/repos\/[^/]+\/[^/]+\/check-runs$/,
    reply: (_match, body) => [201, { id: nextCheckRunId(), status: "in_progress", ...(body as object) }],
  },
  // The runs already on a commit (check-run-reporter.ts looks for its own before creating): none.
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/check-runs$/, reply: () => [200, { total_count: 0, check_runs: [] }] },
  { method: "PATCH", path: /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/, reply: (match, body) => [200, { id: Number(match[1]), ...(body as object) }] },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/git\/trees\/([^/]+)$/, reply: (match) => [200, { sha: match[1], url: `${API}/tree`, tree: [], truncated: false }] },
  {
    method: "GET",
    path: /^\/repos\/[^/]+\/[^/]+\/compare\/[^/]+$/,
    reply: () => [200, { status: "identical", ahead_by: 0, behind_by: 0, total_commits: 0, commits: [], files: [] }],
  },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/pulls$/, reply: () => [200, []] },
  // A workflow run's artifacts (the coverage gate): none.
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/[^/]+\/artifacts$/, reply: () => [200, { total_count: 0, artifacts: [] }] },
  // Lists of history (backfills, pull request details): empty.
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/(pulls|commits|deployments|releases|issues|actions\/runs)$/, reply: () => [200, []] },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/(commits|reviews)$/, reply: () => [200, []] },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/deployments\/\d+\/statuses$/, reply: () => [200, []] },
  { method: "GET", path: /^\/repos\/([^/]+)\/([^/]+)$/, reply: (match) => [200, { id: 1, name: match[2], full_name: `${match[1]}/${match[2]}`, default_branch: "main" }] },
];

let checkRunIds = 1;
function nextCheckRunId(): number {
  checkRunIds += 1;
  return checkRunIds;
}

export interface PermissiveGitHub {
  /** Calls no route knew, as "METHOD path". */
  unknown: string[];
  calls: number;
}

/** `latencyMs`: each answer that long late, as GitHub's are (benchmarks). */
export function fakeGitHubPermissively(options: { latencyMs?: number } = {}): PermissiveGitHub {
  const state: PermissiveGitHub = { unknown: [], calls: 0 };
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    nock(API)
      .persist()
      .intercept(/.*/, method)
      .delay(options.latencyMs ?? 0)
      .reply(function reply(uri, body): Reply {
        state.calls += 1;
        const path = new URL(uri, API).pathname;
        for (const route of ROUTES) {
          const match = route.method === method ? path.match(route.path) : null;
          if (match) return route.reply(match, body);
        }
        state.unknown.push(`${method} ${path}`);
        return [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
      });
  }
  return state;
}
