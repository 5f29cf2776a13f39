// `deployment_status.created`: carries its deployment (it may arrive first),
// and the status DORA capture records under its id.
import { z } from "zod";
import { deploymentObject } from "./deployment.js";
import { githubId, installationReference, repository, state, timestamp } from "./fields.js";

export const deploymentStatusPayload = z.looseObject({
  action: z.literal("created"),
  installation: installationReference,
  repository,
  deployment: deploymentObject,
  deployment_status: z.looseObject({
    id: githubId,
    state,
    // When GitHub recorded the status: the deployment's time, never the arrival's.
    created_at: timestamp,
  }),
});
