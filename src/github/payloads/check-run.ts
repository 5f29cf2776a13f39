// `check_run.rerequested`: one of our runs, run again on the same head sha.
import { z } from "zod";
import { gitSha, githubId, installationReference, nonEmptyText, repository } from "./fields.js";

export const checkRunPayload = z.looseObject({
  action: z.literal("rerequested"),
  installation: installationReference,
  repository,
  check_run: z.looseObject({
    // Which of our checks to run again.
    name: nonEmptyText,
    head_sha: gitSha,
    // Optional: without it the run is not recognised as ours and is left alone.
    app: z.looseObject({ id: githubId }).nullish(),
  }),
});
