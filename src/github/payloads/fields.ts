// The payload pieces several webhook schemas share. Objects are loose: GitHub
// sends far more than we read, and every field we do not name is kept as is
// for the handlers. Each schema names only what some handler reads; a field
// is required when the feature reading it would store or do something wrong
// without it, optional when its absence only degrades one feature.
import { z } from "zod";

/** ISO 8601 with a zone, as GitHub writes them; dateOf() would throw on anything unparsable, and a zone-less date would be read in local time. */
export const timestamp = z.iso.datetime({
  offset: true,
  // Only for a string in the wrong format: a missing or mistyped field keeps the generic message.
  error: (issue) => (issue.code === "invalid_format" ? "must be an ISO 8601 date-time with a time zone" : undefined),
});

/** A git object id: SHA-1 (40 hex) or SHA-256 (64 hex). */
export const gitSha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i, "must be a git commit sha (40 or 64 hex digits)");

export const nonEmptyText = z.string().min(1, "must not be empty");

/**
 * At most `characters` characters (code points, as MySQL counts them), for
 * text stored in a VARCHAR column: longer text could never be written, so the
 * payload is refused here, with the limit, rather than by the database on
 * every retry.
 */
export function atMost(characters: number) {
  return [(text: string) => [...text].length <= characters, `must be at most ${characters} characters`] as const;
}

/** A name or ref stored in a VARCHAR(255) column (repository, environment, branch, tag). */
export const shortText = nonEmptyText.refine(...atMost(255));

/** Text stored in a TEXT column: at most 65,535 bytes of UTF-8. */
export const longText = z.string().refine((text) => new TextEncoder().encode(text).length <= 65_535, "must be at most 65535 bytes (UTF-8)");

/** "owner/name": the key of every stored row of a repository (a VARCHAR(255) column). */
export const repositoryFullName = z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must be owner/name").refine(...atMost(255));

/** A title (pull request, issue), stored in a VARCHAR(1024) column; may be empty. */
export const title = z.string().refine(...atMost(1024));

/** A state (pull request, deployment status), stored in a VARCHAR(16) column. */
export const state = nonEmptyText.refine(...atMost(16));

/** GitHub's numeric ids (installation, deployment, release...). */
export const githubId = z.number().int().positive();

/**
 * `installation`: optional, as in GitHub's types (repository webhooks have
 * none; DORA capture then skips the delivery). When present its id is the
 * token every API call is made with.
 */
export const installationReference = z.looseObject({ id: githubId }).optional();

/**
 * The repository of a delivery. `full_name` keys every DORA row; `name` and
 * `owner.login` address every API call (Probot's context.repo() throws without
 * them). `html_url` is optional: check-run links are then built from the
 * GitHub host and the full name.
 */
export const repository = z.looseObject({
  full_name: repositoryFullName,
  name: nonEmptyText,
  owner: z.looseObject({ login: nonEmptyText }),
  html_url: z.url().optional(),
});

/** A label: only its name is read. */
export const label = z.looseObject({ name: z.string() });
