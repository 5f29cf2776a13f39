// Who is calling: the vocabulary the router, the server, the token store and
// the repository-access rules share. A leaf module, so that none of them has
// to import another for its types (router.ts and repo-access.ts used to
// import each other).
import { z } from "zod";

export type Scope = "read" | "write";

export const REPO_PATTERN = /^[\w.-]+\/[\w.-]+$/;
export const OWNER_PATTERN = /^[\w.-]+$/;

export const repoRestrictionSchema = z.strictObject({
  repos: z.array(z.string().regex(REPO_PATTERN, "must be owner/name")),
  owners: z.array(z.string().regex(OWNER_PATTERN, "must be an owner (user or organisation) name")),
});

/** The repositories a restricted token may read; stored as the token's `repo_scope`. */
export type RepoRestriction = z.output<typeof repoRestrictionSchema>;

export interface Principal {
  /** Who, for the audit log: "token:<name>". */
  actor?: string;
  scopes: ReadonlySet<Scope>;
  /** null: every repository. */
  restriction: RepoRestriction | null;
}

export interface Authenticator {
  /** The caller (scopes, repositories) for an Authorization header; throws HttpError 401 when it is missing or wrong. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}
