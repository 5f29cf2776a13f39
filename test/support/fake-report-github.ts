// GitHub as the DORA report job sees it, faked with nock in GitHub's
// published shapes (@octokit/webhooks-examples' installation, repository and
// issue objects): the app's installations, each installation's repositories,
// each repository's .github/iact.yml, and its issues, which POST creates and
// PATCH updates in memory so that a later listing returns them. Every request
// is counted; one-off failures (a secondary rate limit, a 500) can be queued
// for the next issue creation.
import nock from "nock";
import { Probot } from "probot";
import { RepoConfigCache } from "../../src/github/repo-config-cache.js";
import { ReportIssues } from "../../src/github/report-issues.js";
import { reportIssuesJob } from "../../src/jobs/report-issues-job.js";
import type { ReportIssuesJobDependencies } from "../../src/jobs/report-issues-job.js";
import type { JobDefinition } from "../../src/jobs/scheduler.js";
import { TEST_APP_ID, TEST_PRIVATE_KEY } from "./github-app.js";
import { TestOctokit } from "./service.js";
import { exampleFor } from "./webhook-examples.js";

export const GITHUB_API = "https://api.github.com";
export const APP_BOT_LOGIN = "iact-bot[bot]";

export interface FakeRepository {
  fullName: string;
  /** The text of .github/iact.yml; undefined: no file. */
  config?: string;
}

export interface FakeInstallation {
  id: number;
  repositories: FakeRepository[];
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
  user: "bot" | "human";
}

/**
 * The report job as one replica builds it, talking to the fake: its own
 * Probot (the test app's key) and config cache, links to example hosts, issue
 * writes not spaced apart.
 */
export function reportIssuesJobOnFake(dependencies: Pick<ReportIssuesJobDependencies, "prisma" | "log" | "measurer" | "rateLimits" | "now">): JobDefinition {
  const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, Octokit: TestOctokit, log: dependencies.log });
  return reportIssuesJob({
    ...dependencies,
    repoConfig: new RepoConfigCache({ log: dependencies.log }),
    appOctokit: () => probot.auth(),
    octokitFor: (id) => probot.auth(id),
    githubWebUrl: "https://github.com",
    apiUrl: "https://iact.example.com",
    issues: new ReportIssues({ spacingMs: 0 }),
  });
}

type Failure = { status: number; headers: Record<string, string>; message: string };

export class FakeReportGitHub {
  readonly issues = new Map<string, FakeIssue[]>();
  readonly requests: string[] = [];
  private readonly failNextCreate: Failure[] = [];

  constructor(private readonly installations: FakeInstallation[]) {
    for (const installation of installations) for (const repository of installation.repositories) this.issues.set(repository.fullName, []);
  }

  /** Requests per "METHOD /path-pattern" kind, for counts. */
  count(kind: "POST issue" | "PATCH issue" | "GET issues" | "all"): number {
    if (kind === "all") return this.requests.length;
    return this.requests.filter((request) => request.startsWith(kind === "GET issues" ? "GET /repos/" : kind.startsWith("POST") ? "POST /repos/" : "PATCH /repos/") && request.includes("/issues")).length;
  }

  /** The next issue creation answers this instead (then the ones after succeed). */
  failNextIssueCreation(failure: Failure): void {
    this.failNextCreate.push(failure);
  }

  /** An issue put there before the run (a previous report, or one a person opened). */
  seedIssue(repo: string, issue: Omit<FakeIssue, "number">): FakeIssue {
    const issues = this.issues.get(repo)!;
    const created = { ...issue, number: issues.length + 1 };
    issues.push(created);
    return created;
  }

  intercept(): void {
    const record = (method: string, path: string) => this.requests.push(`${method} ${path}`);
    const scope = nock(GITHUB_API).persist();
    scope.post(/^\/app\/installations\/\d+\/access_tokens$/).reply((path) => {
      record("POST", path);
      const id = /installations\/(\d+)\//.exec(path)![1];
      return [201, { token: `ghs_installation_${id}`, expires_at: "2999-01-01T00:00:00Z", permissions: { issues: "write" }, repository_selection: "all" }];
    });
    scope.get(/^\/app\/installations(\?.*)?$/).reply((path) => {
      record("GET", path);
      const example = exampleFor("installation", "created").installation;
      return [200, this.installations.map((installation) => ({ ...example, id: installation.id }))];
    });
    const installations = this.installations;
    scope.get(/^\/installation\/repositories(\?.*)?$/).reply(function (path) {
      record("GET", path);
      const token = String(this.req.headers.authorization ?? "");
      const installation = installations.find((candidate) => token.endsWith(`ghs_installation_${candidate.id}`));
      const repositories = (installation?.repositories ?? []).map((repository) => repositoryShape(repository.fullName));
      return [200, { total_count: repositories.length, repositories }];
    });
    scope.get(/^\/repos\/[^/]+\/[^/]+\/contents\/\.github(%2F|\/)iact\.yml/).reply((path) => {
      record("GET", path);
      const [, owner, name] = /^\/repos\/([^/]+)\/([^/]+)\//.exec(path)!;
      if (name === ".github") return [404, { message: "Not Found" }];
      const repository = this.repository(`${owner}/${name}`);
      if (repository?.config === undefined) return [404, { message: "Not Found" }];
      return [200, repository.config, { "content-type": "text/plain; charset=utf-8" }];
    });
    scope.get(/^\/repos\/[^/]+\/[^/]+\/issues(\?.*)?$/).reply((path) => {
      record("GET", path);
      const url = new URL(path, GITHUB_API);
      const repo = url.pathname.split("/").slice(2, 4).join("/");
      const label = url.searchParams.get("labels");
      const matching = (this.issues.get(repo) ?? []).filter((issue) => !label || issue.labels.includes(label));
      return [200, matching.map((issue) => issueShape(repo, issue))];
    });
    scope.post(/^\/repos\/[^/]+\/[^/]+\/issues$/).reply((path, body) => {
      record("POST", path);
      const failure = this.failNextCreate.shift();
      if (failure) return [failure.status, { message: failure.message, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, failure.headers];
      const repo = path.split("/").slice(2, 4).join("/");
      const draft = body as { title: string; body: string; labels?: string[]; assignees?: string[] };
      const issue = this.seedIssue(repo, { title: draft.title, body: draft.body, labels: draft.labels ?? [], assignees: draft.assignees ?? [], user: "bot" });
      return [201, issueShape(repo, issue)];
    });
    scope.patch(/^\/repos\/[^/]+\/[^/]+\/issues\/\d+$/).reply((path, body) => {
      record("PATCH", path);
      const parts = path.split("/");
      const repo = parts.slice(2, 4).join("/");
      const issue = this.issues.get(repo)?.find((candidate) => candidate.number === Number(parts[5]));
      if (!issue) return [404, { message: "Not Found" }];
      Object.assign(issue, body as Partial<FakeIssue>);
      return [200, issueShape(repo, issue)];
    });
  }

  private repository(fullName: string): FakeRepository | undefined {
    for (const installation of this.installations) {
      const found = installation.repositories.find((repository) => repository.fullName.toLowerCase() === fullName.toLowerCase());
      if (found) return found;
    }
    return undefined;
  }
}

function repositoryShape(fullName: string) {
  const example = exampleFor("issues", "opened").repository;
  const [owner, name] = fullName.split("/") as [string, string];
  return { ...example, name, full_name: fullName, owner: { ...example.owner, login: owner }, html_url: `https://github.com/${fullName}`, archived: false, has_issues: true };
}

function issueShape(repo: string, issue: FakeIssue) {
  const example = exampleFor("issues", "opened").issue;
  const user = issue.user === "bot" ? { ...example.user, login: APP_BOT_LOGIN, type: "Bot" } : { ...example.user, type: "User" };
  return {
    ...example,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    html_url: `https://github.com/${repo}/issues/${issue.number}`,
    url: `${GITHUB_API}/repos/${repo}/issues/${issue.number}`,
    labels: issue.labels.map((name, index) => ({ ...example.labels![0]!, id: index + 1, name })),
    assignees: [],
    user,
    state: "open",
    pull_request: undefined,
  };
}
