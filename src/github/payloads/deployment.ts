// `deployment.created`: DORA capture stores the deployment (its statuses come
// on their own). Every field read is an immutable fact of the deployment.
import { z } from "zod";
import { gitSha, githubId, installationReference, repository, shortText, timestamp } from "./fields.js";

export const deploymentObject = z.looseObject({
  id: githubId,
  sha: gitSha,
  ref: shortText,
  environment: shortText,
  created_at: timestamp,
});

export const deploymentPayload = z.looseObject({
  action: z.literal("created"),
  installation: installationReference,
  repository,
  deployment: deploymentObject,
});
