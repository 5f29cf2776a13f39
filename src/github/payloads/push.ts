// `push`: to the default branch, DORA capture stores its commits and the
// repository checks run on `after`; any push touching .github/iact.yml drops
// the cached settings.
import { z } from "zod";
import { gitSha, installationReference, longText, nonEmptyText, repository, timestamp } from "./fields.js";

/** The file lists are how a push that changes .github/iact.yml is noticed; GitHub always sends them. */
const changedFiles = {
  added: z.array(z.string()),
  modified: z.array(z.string()),
  removed: z.array(z.string()),
};

const commit = z.looseObject({
  id: gitSha,
  // Stored as the change's message (a TEXT column).
  message: longText,
  // The author's time: the start of the change's lead time.
  timestamp,
  ...changedFiles,
});

export const pushPayload = z.looseObject({
  ref: nonEmptyText,
  // Deleting a branch sends 40 zeros as `after`, which the handlers skip.
  after: gitSha,
  // Optional: a deletion is also recognised by its all-zero `after`.
  deleted: z.boolean().optional(),
  installation: installationReference,
  // default_branch decides whether the push matters at all.
  repository: repository.extend({ default_branch: nonEmptyText }),
  commits: z.array(commit),
  // Optional (null for a deletion); when present its file lists are read like the commits'.
  head_commit: z.looseObject(changedFiles).nullish(),
});
