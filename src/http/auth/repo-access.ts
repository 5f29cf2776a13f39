// Who is calling and which repositories they may read. A token is either
// unrestricted (every repository, as before restrictions existed) or
// restricted to named repositories and/or every repository of named owners,
// so an installation on several organisations can hand each team a token
// that sees only its own repositories.
//
// The rule for the DORA routes is "name a repository you may read": a
// restricted token must pass `repo`. Measuring "all of my repositories"
// would need the core to measure a set of repositories, and the rollups
// are per repository or for everything; a figure merged from several
// repositories' rollups would not be the figure the core computes (medians
// do not add up), so the honest and simple rule is one repository at a time.
//
// GitHub's owner and repository names are case-insensitive (and so is the
// database's collation), so the comparison is too.
import { HttpError } from "../http-error.js";
import { OWNER_PATTERN, REPO_PATTERN } from "./principal.js";
import type { Principal, RepoRestriction } from "./principal.js";

/** The restriction for `--repo`/`--owner` values: null when there are none; throws on a malformed name. */
export function repoRestriction(repos: readonly string[], owners: readonly string[]): RepoRestriction | null {
  if (repos.length === 0 && owners.length === 0) return null;
  for (const repo of repos) if (!REPO_PATTERN.test(repo)) throw new Error(`--repo must be owner/name, not "${repo}"`);
  for (const owner of owners) if (!OWNER_PATTERN.test(owner)) throw new Error(`--owner must be a user or organisation name, not "${owner}"`);
  return { repos: [...new Set(repos)], owners: [...new Set(owners)] };
}

export function mayReadRepo(restriction: RepoRestriction | null, repo: string): boolean {
  if (restriction === null) return true;
  const wanted = repo.toLowerCase();
  const owner = wanted.split("/")[0];
  return restriction.repos.some((allowed) => allowed.toLowerCase() === wanted) || restriction.owners.some((allowed) => allowed.toLowerCase() === owner);
}

/** "owner/a, owner/b and every repository of org" */
export function describeRestriction(restriction: RepoRestriction): string {
  const parts = [...restriction.repos, ...restriction.owners.map((owner) => `every repository of ${owner}`)];
  return parts.length <= 1 ? (parts[0] ?? "no repository") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/**
 * For routes measuring repositories: an unrestricted caller may ask for any
 * `repo` or none (every repository); a restricted one must name a repository
 * it may read (400 without `repo`, 403 outside its list).
 */
export function assertRepoReadable(principal: Principal | undefined, repo: string | undefined): void {
  const restriction = principal?.restriction ?? null;
  if (restriction === null) return;
  if (repo === undefined) {
    throw new HttpError(400, `This token is restricted to ${describeRestriction(restriction)}: pass repo=owner/name naming one of them`, [
      { field: "repo", message: "is required for a token restricted to repositories" },
    ]);
  }
  if (!mayReadRepo(restriction, repo)) {
    throw new HttpError(403, `This token may not read ${repo}: it is restricted to ${describeRestriction(restriction)}`);
  }
}
