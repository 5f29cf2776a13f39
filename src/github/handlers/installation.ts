// installation and installation_repositories: logged, and with DORA capture
// on, each new repository gets a backfill of its recent history. Backfills
// are enqueued only: src/jobs/backfill-runner.ts runs them outside the
// delivery (a large installation would outlast the inbox lease). Keyed by
// installation, so a redelivery, or the same event under another id, adds nothing.
import type { Context } from "probot";
import { enqueueBackfills } from "../../store/dora-backfill-jobs.js";
import type { HandlerDependencies } from "./dependencies.js";

type RepositoryRef = { full_name: string };

export async function onInstallation(context: Context<"installation.created" | "installation.deleted">, dependencies: HandlerDependencies): Promise<void> {
  const { payload } = context;
  const repositories = payload.repositories ?? [];
  logInstallationEvent(context, dependencies, repositories);
  if (payload.action === "created") await enqueueInstallBackfills(payload.installation.id, repositories, dependencies);
}

export async function onInstallationRepositories(context: Context<"installation_repositories">, dependencies: HandlerDependencies): Promise<void> {
  const { payload } = context;
  logInstallationEvent(context, dependencies, payload.repositories_added);
  if (payload.action === "added") await enqueueInstallBackfills(payload.installation.id, payload.repositories_added, dependencies);
}

function logInstallationEvent(context: Pick<Context, "name"> & { payload: { action: string; installation: { id: number } } }, dependencies: HandlerDependencies, repositories: readonly RepositoryRef[]): void {
  dependencies.log.info(
    { installation: context.payload.installation.id, repositories: repositories.map((repository) => repository.full_name) },
    `installation event: ${context.name}.${context.payload.action}`,
  );
}

async function enqueueInstallBackfills(installationId: number, repositories: readonly RepositoryRef[], dependencies: HandlerDependencies): Promise<void> {
  const { capture, log } = dependencies;
  if (!capture || capture.installBackfillDays <= 0) return;
  const days = capture.installBackfillDays;
  const queued = await enqueueBackfills(
    capture.prisma,
    repositories.map(({ full_name: repo }) => ({ repo, installationId, days, trigger: `installation:${installationId}` })),
  );
  log.info({ installation: installationId, repositories: repositories.length, queued }, "DORA backfills queued after installation");
}
