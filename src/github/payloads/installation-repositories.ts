// `installation_repositories` added/removed: logged, and added repositories
// get their DORA backfill queued.
import { z } from "zod";
import { githubId } from "./fields.js";
import { installedRepository } from "./installation.js";

export const installationRepositoriesPayload = z.looseObject({
  action: z.string(),
  installation: z.looseObject({ id: githubId }),
  repositories_added: z.array(installedRepository),
});
