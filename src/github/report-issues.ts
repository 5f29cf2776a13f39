// A repository's DORA report issues over REST: finding them again, creating
// and updating them.
//
// Each issue carries a hidden marker, an HTML comment naming its repository
// and period, so the issue of a period is found again whatever the database
// says. The issues are listed, not searched (GitHub's search index lags
// behind new issues): GET /repos/{owner}/{repo}/issues with the report label,
// every state, paginated; an issue counts when a bot (the app) opened it and
// its body holds the marker. With two issues for one period (created by hand,
// say), the oldest is the report's.
//
// Content creation respects GitHub's secondary limits: the issue writes of
// one installation go one at a time, at least `spacingMs` apart (GitHub asks
// for about a second between content-creating requests). Rate-limited answers
// are retried by src/github/rate-limit.ts, installed on the Octokit.
import type { ProbotOctokit } from "probot";
import { limitConcurrency } from "../lib/concurrency.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface ReportIssueRef {
  number: number;
  url: string;
}

export interface ReportIssueDraft {
  title: string;
  body: string;
  labels: readonly string[];
  assignees: readonly string[];
}

export const DEFAULT_CONTENT_SPACING_MS = 1_000;

const MARKER = /<!-- iact-bot:dora-report repo=(\S+) period=(\d{4}-\d{2}) -->/;

/** The hidden marker of `repo`'s report issue for `period` ("YYYY-MM"). */
export function reportMarker(repo: string, period: string): string {
  return `<!-- iact-bot:dora-report repo=${repo} period=${period} -->`;
}

function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split("/") as [string, string];
  return { owner, repo: name };
}

export class ReportIssues {
  private readonly lanes = new Map<number, { run: ReturnType<typeof limitConcurrency>; lastWriteAt: number }>();
  private readonly spacingMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: { spacingMs?: number; sleep?: (ms: number) => Promise<void> } = {}) {
    this.spacingMs = options.spacingMs ?? DEFAULT_CONTENT_SPACING_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** `repo`'s report issues by period, found by `label` and the marker. */
  async find(octokit: Octokit, repo: string, label: string): Promise<Map<string, ReportIssueRef>> {
    const found = new Map<string, ReportIssueRef>();
    const issues = await octokit.paginate("GET /repos/{owner}/{repo}/issues", { ...splitRepo(repo), labels: label, state: "all", sort: "created", direction: "asc", per_page: 100 });
    for (const issue of issues) {
      if (issue.pull_request || issue.user?.type !== "Bot") continue;
      const marker = MARKER.exec(issue.body ?? "");
      if (!marker || marker[1]!.toLowerCase() !== repo.toLowerCase()) continue;
      if (!found.has(marker[2]!)) found.set(marker[2]!, { number: issue.number, url: issue.html_url });
    }
    return found;
  }

  async create(octokit: Octokit, installationId: number, repo: string, draft: ReportIssueDraft): Promise<ReportIssueRef> {
    return this.write(installationId, async () => {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues", {
        ...splitRepo(repo),
        title: draft.title,
        body: draft.body,
        labels: [...draft.labels],
        ...(draft.assignees.length > 0 ? { assignees: [...draft.assignees] } : {}),
      });
      return { number: data.number, url: data.html_url };
    });
  }

  /** Replaces the title and body; labels and assignees people changed are left alone. */
  async update(octokit: Octokit, installationId: number, repo: string, issueNumber: number, draft: Pick<ReportIssueDraft, "title" | "body">): Promise<ReportIssueRef> {
    return this.write(installationId, async () => {
      const { data } = await octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { ...splitRepo(repo), issue_number: issueNumber, title: draft.title, body: draft.body });
      return { number: data.number, url: data.html_url };
    });
  }

  /** One content write at a time per installation, `spacingMs` apart. */
  private write<T>(installationId: number, request: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(installationId);
    if (!lane) {
      lane = { run: limitConcurrency(1), lastWriteAt: 0 };
      this.lanes.set(installationId, lane);
    }
    const held = lane;
    return held.run(async () => {
      const wait = held.lastWriteAt + this.spacingMs - Date.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await request();
      } finally {
        held.lastWriteAt = Date.now();
      }
    });
  }
}
