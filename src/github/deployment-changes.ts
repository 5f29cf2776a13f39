// What a deployment shipped: the commits reachable from its sha and not from
// the previous successful deployment of the same environment (compare API),
// each linked to its pull request. The first deployment of an environment
// counts its head commit only: we cannot know what was running before it
// (docs/capture.md).
import type { ProbotOctokit } from "probot";
import type { components } from "@octokit/openapi-types";
import type { ChangeRow } from "../store/dora-batch-writer.js";
import { fromRestCommit } from "./events/push-events.js";

type Octokit = InstanceType<typeof ProbotOctokit>;
type RestCommit = components["schemas"]["commit"];

/** The compare API's page size (at most 100 per page when paginating). */
export const COMPARE_PAGE_SIZE = 100;
/** The compare API lists at most 10,000 commits however many pages are asked. */
export const COMPARE_MAX_COMMITS = 10_000;

export interface ComparedCommits {
  commits: RestCommit[];
  /** More commits than the API lists (10,000): the oldest ones are missing. */
  truncated: boolean;
}

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split("/");
  if (!owner || !name) throw new Error(`not an owner/name repository: ${repo}`);
  return { owner, repo: name };
}

/** Commits in `head` and not in `base`, oldest first, over every page. */
export async function compareCommits(octokit: Octokit, repo: string, base: string, head: string): Promise<ComparedCommits> {
  const commits: RestCommit[] = [];
  let total = 0;
  for (let page = 1; commits.length < COMPARE_MAX_COMMITS; page += 1) {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...splitRepo(repo),
      basehead: `${base}...${head}`,
      per_page: COMPARE_PAGE_SIZE,
      page,
    });
    total = data.total_commits;
    commits.push(...data.commits);
    if (data.commits.length < COMPARE_PAGE_SIZE || commits.length >= total) break;
  }
  return { commits, truncated: total > commits.length };
}

export async function getCommit(octokit: Octokit, repo: string, ref: string): Promise<RestCommit> {
  const { data } = await octokit.rest.repos.getCommit({ ...splitRepo(repo), ref });
  return data;
}

/** REST commits -> change rows (unlinked); a commit without an author date takes its committer date. */
export function changeRows(repo: string, commits: readonly Pick<RestCommit, "sha" | "commit">[]): ChangeRow[] {
  return commits.map((commit) => {
    const observation = fromRestCommit(repo, commit);
    const authoredAt = observation.authoredAt ?? observation.committedAt ?? new Date(0);
    return {
      sha: observation.sha,
      authoredAt,
      ...(observation.committedAt ? { committedAt: observation.committedAt } : {}),
      message: observation.message ?? "",
    };
  });
}
