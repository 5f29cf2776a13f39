// `installation.created` / `installation.deleted`: logged, and on creation
// DORA backfills are queued for the repositories listed.
import { z } from "zod";
import { githubId, repositoryFullName } from "./fields.js";

/** The repositories of an installation event: their full names are the backfill's keys. */
export const installedRepository = z.looseObject({ full_name: repositoryFullName });

export const installationPayload = z.looseObject({
  action: z.enum(["created", "deleted"]),
  // The installation is the subject of the event: its id keys the backfills and their token.
  installation: z.looseObject({ id: githubId }),
  // Optional, as in GitHub's types: nothing is backfilled without it.
  repositories: z.array(installedRepository).optional(),
});
