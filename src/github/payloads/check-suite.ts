// `check_suite.rerequested`: our suite, every check run again on its head sha.
import { z } from "zod";
import { gitSha, githubId, installationReference, repository } from "./fields.js";

export const checkSuitePayload = z.looseObject({
  action: z.literal("rerequested"),
  installation: installationReference,
  repository,
  check_suite: z.looseObject({
    head_sha: gitSha,
    // Optional: without it the suite is not recognised as ours and is left alone.
    app: z.looseObject({ id: githubId }).nullish(),
  }),
});
