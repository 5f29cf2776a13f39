// An Octokit plugin that reports every GitHub API request to an observer:
// the endpoint as its route template ("GET /repos/{owner}/{repo}/pulls"),
// the HTTP status, the time it took, the x-ratelimit-remaining GitHub sent
// back and, for a check run completed by the request, its conclusion. The
// wiring (src/service.ts) turns these into metrics; nothing here knows how.
//
// Requests made by route (octokit.rest.*, octokit.request("GET /…")) carry
// their template. Pagination follows GitHub's concrete `link` URLs
// (".../repositories/123/pulls?page=2"); those are matched back to the
// template, so no repository name, id or sha ever becomes part of an endpoint.
import { httpStatusOf } from "../lib/http-status.js";
import { CHECK_RUN_CREATE_ENDPOINT, CHECK_RUN_UPDATE_ENDPOINT } from "./api-call-counter.js";

export interface GitHubRequestObserver {
  request(endpoint: string, status: number, seconds: number): void;
  /** `installation`: the installation the client acts for, or "app" for the app's own (JWT) calls. */
  rateLimit(installation: number | "app", remaining: number): void;
  checkRunCompleted(conclusion: string): void;
}

/** The endpoint of a request whose URL matches no known route template. */
export const UNKNOWN_ENDPOINT = "other";

interface RequestOptions {
  method?: string;
  url?: string;
  conclusion?: unknown;
  [key: string]: unknown;
}

interface ResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
}

interface ObservableOctokit {
  hook: { wrap(name: "request", wrapper: (request: (options: RequestOptions) => Promise<ResponseLike>, options: RequestOptions) => Promise<ResponseLike>): void };
  rest?: Record<string, Record<string, { endpoint?: { DEFAULTS?: { method?: string; url?: string } } }>>;
}

/** The plugin for `ProbotOctokit.plugin(...)`. */
export function observeGitHubRequests(observer: GitHubRequestObserver) {
  return (octokit: object, octokitOptions: { auth?: { installationId?: unknown } } = {}): void => {
    const client = octokit as ObservableOctokit;
    const installationId = Number(octokitOptions.auth?.installationId);
    const installation: number | "app" = Number.isSafeInteger(installationId) && installationId > 0 ? installationId : "app";
    client.hook.wrap("request", async (request, options) => {
      const endpoint = endpointOf(options, client);
      const started = performance.now();
      let response: ResponseLike;
      try {
        response = await request(options);
      } catch (error) {
        observer.request(endpoint, httpStatusOf(error) ?? 0, (performance.now() - started) / 1000);
        reportRateLimit(observer, installation, (error as { response?: ResponseLike }).response?.headers);
        throw error;
      }
      observer.request(endpoint, response.status, (performance.now() - started) / 1000);
      reportRateLimit(observer, installation, response.headers);
      if ((endpoint === CHECK_RUN_CREATE_ENDPOINT || endpoint === CHECK_RUN_UPDATE_ENDPOINT) && typeof options.conclusion === "string") {
        observer.checkRunCompleted(options.conclusion);
      }
      return response;
    });
  };
}

function reportRateLimit(observer: GitHubRequestObserver, installation: number | "app", headers: ResponseLike["headers"] | undefined): void {
  const remaining = Number(headers?.["x-ratelimit-remaining"]);
  if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining)) observer.rateLimit(installation, remaining);
}

/** "METHOD /template" for a request's options. */
export function endpointOf(options: RequestOptions, octokit: ObservableOctokit): string {
  const method = (options.method ?? "GET").toUpperCase();
  const url = options.url ?? "";
  // A template written in our code (or Octokit's) is bounded by the code itself.
  if (url.startsWith("/") && url.includes("{")) return `${method} ${url.split("?")[0]}`;
  if (url === "/graphql") return `${method} /graphql`;
  return templateOf(method, url, octokit) ?? UNKNOWN_ENDPOINT;
}

interface CompiledTemplate {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
}

/** Templates by segment count, built once from the REST methods Octokit knows. */
let compiled: Map<number, CompiledTemplate[]> | undefined;

function templateOf(method: string, url: string, octokit: ObservableOctokit): string | undefined {
  if (!compiled) {
    const templates = compileTemplates(octokit);
    if (templates.size === 0) return undefined;
    compiled = templates;
  }
  let path: string;
  try {
    path = new URL(url, "http://relative.invalid").pathname;
  } catch {
    return undefined;
  }
  // GitHub Enterprise Server answers under /api/v3; pagination links keep it.
  path = path.replace(/^\/api\/v3(?=\/)/, "");
  // GitHub's pagination links name a repository by id; it is the same endpoint as /repos/{owner}/{repo}/….
  path = path.replace(/^\/repositories\/\d+(?=\/|$)/, "/repos/{owner}/{repo}");
  const segments = path.split("/").length;
  let best: CompiledTemplate | undefined;
  for (const candidate of compiled.get(segments) ?? []) {
    if (candidate.method !== method || !candidate.pattern.test(path)) continue;
    if (!best || candidate.literalSegments > best.literalSegments) best = candidate;
  }
  return best ? `${best.method} ${best.template}` : undefined;
}

function compileTemplates(octokit: ObservableOctokit): Map<number, CompiledTemplate[]> {
  const byLength = new Map<number, CompiledTemplate[]>();
  const seen = new Set<string>();
  for (const scope of Object.values(octokit.rest ?? {})) {
    for (const method of Object.values(scope)) {
      const defaults = method.endpoint?.DEFAULTS;
      if (!defaults?.method || !defaults.url) continue;
      const key = `${defaults.method} ${defaults.url}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const segments = defaults.url.split("/");
      const pattern = new RegExp(
        `^${segments.map((segment) => (segment.startsWith("{") ? "(\\{[a-z_]+\\}|[^/]+)" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/")}$`,
      );
      const entry = { method: defaults.method, template: defaults.url, pattern, literalSegments: segments.filter((segment) => !segment.startsWith("{")).length };
      const list = byLength.get(segments.length) ?? [];
      list.push(entry);
      byLength.set(segments.length, list);
    }
  }
  return byLength;
}
