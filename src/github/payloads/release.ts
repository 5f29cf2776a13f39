// `release.published`: a published release (not a draft) is a deployment of
// its tag's commit at publication time, when releases are configured.
import { z } from "zod";
import { githubId, installationReference, repository, shortText, timestamp } from "./fields.js";

export const releasePayload = z.looseObject({
  action: z.literal("published"),
  installation: installationReference,
  repository,
  release: z.looseObject({
    id: githubId,
    // The deployment's ref.
    tag_name: shortText,
    draft: z.boolean(),
    // Optional: the publication time stands in for it.
    created_at: timestamp.nullish(),
    // Required (null for a draft): absent would drop the release without a word.
    published_at: timestamp.nullable(),
  }),
});
