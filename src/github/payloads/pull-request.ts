// `pull_request` (every action): DORA capture stores the pull request as it
// is now; opened/synchronize/reopened also run the repository checks on the
// head commit.
import { z } from "zod";
import { gitSha, installationReference, label, repository, shortText, state, timestamp, title } from "./fields.js";

export const pullRequestPayload = z.looseObject({
  action: z.string(),
  installation: installationReference,
  repository,
  pull_request: z.looseObject({
    number: z.number().int().positive(),
    title,
    // Optional: without it there is no root cause or revert marker to read.
    body: z.string().nullish(),
    state,
    // The head commit is what the checks run on and what lead time starts from.
    head: z.looseObject({ ref: shortText, sha: gitSha }),
    base: z.looseObject({ ref: shortText }),
    // Optional: null for a deleted account; then every review counts as a first review.
    user: z.looseObject({ login: z.string() }).nullish(),
    // Required: the labels decide what is a hotfix; absent would read as "no labels".
    labels: z.array(label),
    created_at: timestamp,
    // Required: the newest copy of a pull request wins by updated_at.
    updated_at: timestamp,
    // Required but null until it happens: absent would record a merged pull request as open.
    closed_at: timestamp.nullable(),
    merged_at: timestamp.nullable(),
    // Optional: without it the merge commit is not linked to the pull request (lead time uses the head commits).
    merge_commit_sha: gitSha.nullish(),
  }),
});
