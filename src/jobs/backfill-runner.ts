// Drains the backfill queue (dora_backfill_jobs, src/store/dora-backfill-jobs.ts)
// outside webhook deliveries, so a large installation's backfill neither
// holds an inbox lease nor is lost with a restart. One job at a time per
// runner (backfills are API-bound; replicas share the queue through SKIP
// LOCKED). While a job runs its lease is renewed; a runner that dies leaves a
// lease that lapses and the job is claimed again. Backfills are idempotent
// (backfill.ts), and a re-run skips what is stored already (PR commits and
// reviews listed, changes current), so a resumed job costs little.
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { defaultDoraConfig } from "../config/dora-config.js";
import type { DoraConfig } from "../config/dora-config.js";
import type { RepoConfigCache } from "../github/repo-config-cache.js";
import { backfillRepository } from "../github/backfill.js";
import { DoraCapture } from "../github/dora-capture.js";
import { claimBackfill, failBackfill, finishBackfill, renewBackfillLease } from "../store/dora-backfill-jobs.js";
import { markRollupsStale } from "../store/dora-rollups.js";
import type { ClaimedBackfill } from "../store/dora-backfill-jobs.js";
import type { PrismaClient } from "../store/prisma.js";
import { MS_PER_DAY } from "../dora/index.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface BackfillRunnerDependencies {
  prisma: PrismaClient;
  log: Logger;
  repoConfig: Pick<RepoConfigCache, "get">;
  /** An Octokit authenticated as the installation (Probot's `auth(id)`). */
  octokitFor(installationId: number): Promise<Octokit>;
}

export interface BackfillRunnerOptions {
  workerId: string;
  pollIntervalMs: number;
  /** Renewed every third of it while a job runs. Default 300 s. */
  leaseSeconds?: number;
  /** Runs of a job before it is marked failed. Default 5. */
  maxAttempts?: number;
  /** Delay before run n+1 after n failed runs. Default 1, 2, 4... minutes, at most one hour. */
  backoffMs?: (attempts: number) => number;
}

export function backfillBackoff(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export class BackfillRunner {
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly dependencies: BackfillRunnerDependencies,
    private readonly options: BackfillRunnerOptions,
  ) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.drain();
  }

  /** Stops claiming; waits for the job in hand to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  private async drain(): Promise<void> {
    const { prisma, log } = this.dependencies;
    while (!this.stopping) {
      let job: ClaimedBackfill | undefined;
      try {
        job = await claimBackfill(prisma, this.options.workerId, this.leaseSeconds);
      } catch (error) {
        log.error({ err: error }, "could not claim a DORA backfill job; trying again");
      }
      if (job) await this.run(job);
      else await this.sleep(this.options.pollIntervalMs);
    }
  }

  private get leaseSeconds(): number {
    return this.options.leaseSeconds ?? 300;
  }

  private async run(job: ClaimedBackfill): Promise<void> {
    const { prisma, log } = this.dependencies;
    const { workerId } = this.options;
    const context = { job: String(job.id), repository: job.repo, installation: job.installationId, attempt: job.attempts };
    const heartbeat = setInterval(() => {
      renewBackfillLease(prisma, job.id, workerId, this.leaseSeconds)
        .then((held) => {
          if (!held) log.warn(context, "DORA backfill lease lost; another runner may run this job too (harmless: idempotent)");
        })
        .catch((error: unknown) => log.warn({ ...context, err: error }, "could not renew the DORA backfill lease"));
    }, (this.leaseSeconds * 1000) / 3);
    heartbeat.unref();
    try {
      const octokit = await this.dependencies.octokitFor(job.installationId);
      const config = await this.configFor(octokit, job.repo);
      if (!config) {
        await finishBackfill(prisma, job.id, workerId, { skipped: "DORA capture is disabled for this repository" });
        log.info(context, "DORA backfill skipped: capture disabled");
        return;
      }
      const counts = await backfillRepository(octokit, new DoraCapture(prisma, log), { repo: job.repo, installationId: job.installationId, days: job.days, config });
      await markRollupsStale(prisma, new Date(Date.now() - job.days * MS_PER_DAY));
      await finishBackfill(prisma, job.id, workerId, { counts: { ...counts } });
      log.info({ ...context, ...counts }, "DORA backfill done");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const maxAttempts = this.options.maxAttempts ?? 5;
      const retryInMs = job.attempts < maxAttempts ? (this.options.backoffMs ?? backfillBackoff)(job.attempts) : undefined;
      log.error({ ...context, err: error, retryInMs }, retryInMs === undefined ? "DORA backfill failed for good" : "DORA backfill failed; retrying later");
      await failBackfill(prisma, job.id, workerId, message, retryInMs).catch((storeError: unknown) => log.error({ ...context, err: storeError }, "could not record the DORA backfill failure"));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The repository's DORA settings; an invalid file: the defaults (as webhooks do); disabled: undefined. */
  private async configFor(octokit: Octokit, repo: string): Promise<DoraConfig | undefined> {
    const [owner, name] = repo.split("/") as [string, string];
    const result = await this.dependencies.repoConfig.get(octokit, owner, name);
    if (!result.ok) {
      this.dependencies.log.warn({ repository: repo, problems: result.problems }, `invalid ${result.file}: backfilling with the default DORA settings`);
      return defaultDoraConfig;
    }
    return result.config.dora.enabled ? result.config.dora : undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
