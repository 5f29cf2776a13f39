// The composition root of the running service: builds the logger, MySQL
// client, Probot, inbox, worker and HTTP server, and starts them in an order
// that survives a database that is down at start (the server answers
// /health at once; migrations and the worker wait for MySQL).
import type { AddressInfo } from "node:net";
import type http from "node:http";
import type { Logger } from "pino";
import { Probot } from "probot";
import type { ApplicationFunction, ProbotOctokit } from "probot";
import { iactBotApp } from "./app.js";
import { RepoConfigCache } from "./github/repo-config-cache.js";
import { BlobCache } from "./github/blob-cache.js";
import type { AppConfig } from "./config/env.js";
import { ApiTokens } from "./http/auth/api-tokens.js";
import { healthRoutes } from "./http/health-routes.js";
import type { ReadinessProbe } from "./http/health-routes.js";
import { Router } from "./http/router.js";
import { addApiRoutes } from "./http/routes/index.js";
import { DoraMeasurer } from "./metrics/measure.js";
import { createHttpServer } from "./http/server.js";
import { exponentialBackoff, InboxStore } from "./inbox/inbox-store.js";
import { WebhookIntake } from "./http/webhook-intake.js";
import { InboxWorker } from "./inbox/worker.js";
import { BackfillRunner } from "./jobs/backfill-runner.js";
import { scheduledJobs } from "./jobs/catalogue.js";
import { Scheduler } from "./jobs/scheduler.js";
import { createLogger } from "./logs/logger.js";
import { parseDatabaseUrl } from "./store/database-url.js";
import { loadDoraInput } from "./store/dora-records.js";
import { rollupRefreshesSettled } from "./store/dora-rollups.js";
import { applyMigrations, MigrationError } from "./store/migrations.js";
import { createPrismaClient } from "./store/prisma.js";
import type { PrismaClient } from "./store/prisma.js";
import { readServerSettings, serverSettingsProblems } from "./store/server-settings.js";

export interface ServiceOptions {
  config: AppConfig;
  log?: Logger;
  /** Tests pass ProbotOctokit.defaults({ retry/throttle off }) here. */
  Octokit?: typeof ProbotOctokit;
  migrationsDir?: string;
  /** More Probot app functions beside iact-bot's own (tests record deliveries with one). */
  extraApps?: ApplicationFunction[];
}

export interface RunningService {
  url: string;
  server: http.Server;
  prisma: PrismaClient;
  probot: Probot;
  inbox: InboxStore;
  worker: InboxWorker;
  scheduler: Scheduler;
  log: Logger;
  /** Resolves when migrations have been applied and the worker runs. */
  databaseReady: Promise<void>;
  stop(): Promise<void>;
}

const DATABASE_RETRY_MS = 2_000;
/** How long stop() lets a rollup refresh finish (within a 30 s termination grace period). */
const ROLLUP_REFRESH_STOP_MS = 20_000;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config } = options;
  const { env } = config;
  if (!config.github) throw new Error("startService needs APP_ID, a private key and WEBHOOK_SECRET");
  const log = options.log ?? createLogger({ level: env.LOG_LEVEL, secrets: config.secrets, base: { instance: env.IACT_INSTANCE_ID } });

  const databaseSettings = parseDatabaseUrl(env.DATABASE_URL);
  const prisma = createPrismaClient(databaseSettings);

  const probot = new Probot({
    appId: config.github.appId,
    privateKey: config.github.privateKey,
    secret: config.github.webhookSecret,
    log,
    ...(config.githubBaseUrl ? { baseUrl: config.githubBaseUrl } : {}),
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
  });
  // One cache of .github/iact.yml for every feature: a push touching it invalidates it for all.
  const repoConfig = new RepoConfigCache({ log });
  const checks = { repoConfig, blobCache: new BlobCache(), rulesDocsUrl: env.IACT_RULES_DOCS_URL, appId: Number(config.github.appId) };
  await probot.load([iactBotApp({ log, prisma, repoConfig, checks, dora: {} }), ...(options.extraApps ?? [])]);
  await probot.ready();

  const inbox = new InboxStore(prisma);
  const worker = new InboxWorker(
    inbox,
    async (delivery) => {
      // The stored event name came from a verified GitHub header.
      await probot.receive({ id: delivery.deliveryId, name: delivery.event as never, payload: delivery.payload as never });
    },
    {
      workerId: env.IACT_INSTANCE_ID,
      concurrency: env.IACT_WORKER_CONCURRENCY,
      pollIntervalMs: env.IACT_WORKER_POLL_MS,
      leaseSeconds: env.IACT_INBOX_LEASE_SECONDS,
      retry: { maxAttempts: env.IACT_INBOX_MAX_ATTEMPTS, backoffMs: exponentialBackoff },
    },
    log,
  );
  // Backfills queued by installation events run here, outside the deliveries (docs/capture.md).
  const backfills = new BackfillRunner(
    { prisma, log, repoConfig, octokitFor: (installationId) => probot.auth(installationId) },
    { workerId: env.IACT_INSTANCE_ID, pollIntervalMs: env.IACT_WORKER_POLL_MS, leaseSeconds: env.IACT_INBOX_LEASE_SECONDS },
  );
  const intake = new WebhookIntake({ verify: (body, signature) => probot.webhooks.verify(body, signature) }, inbox, () => worker.wake(), log);

  let migrationState: { ok: boolean; error?: string } = { ok: false, error: "not applied yet" };
  const probes: Record<string, ReadinessProbe> = {
    mysql: async () => {
      await prisma.$queryRaw`SELECT 1`;
      return { ok: true };
    },
    migrations: async () => ({ ...migrationState }),
    // A warning, not a failure: a server with a small max_allowed_packet still
    // stores and serves everything but the largest deliveries.
    mysql_settings: async () => {
      const settings = await readServerSettings(prisma);
      const problems = serverSettingsProblems(settings);
      return { ok: true, max_allowed_packet: settings.maxAllowedPacket, ...(problems.length > 0 ? { warning: problems.join(" ") } : {}) };
    },
    inbox_worker: async () => {
      const status = worker.status();
      if (!env.IACT_WORKER_ENABLED) return { ok: true, enabled: false };
      return { ok: status.running && !status.lastError, ...(status.lastError ? { error: status.lastError } : {}), processed: status.processed };
    },
  };
  // One measurer for every reader of DORA figures (API routes today; reports and the dashboard later).
  const measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log, instanceId: env.IACT_INSTANCE_ID });
  // Scheduled jobs (src/jobs/catalogue.ts), each run once across replicas; started once the database is migrated.
  const scheduler = new Scheduler({ prisma, log, jobs: scheduledJobs({ prisma, log, measurer }), instanceId: env.IACT_INSTANCE_ID, leaseSeconds: env.IACT_JOB_LEASE_SECONDS });
  const router = addApiRoutes(new Router().add(...healthRoutes(probes)), { prisma, measurer, jobs: scheduler });
  const server = createHttpServer({ router, webhooks: intake, auth: new ApiTokens(prisma), log, maxBodyBytes: env.IACT_API_MAX_BODY_BYTES });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  log.info({ url }, "iact-bot listening");

  let stopping = false;
  const databaseReady = (async () => {
    for (;;) {
      if (stopping) return;
      try {
        const outcome = await applyMigrations(databaseSettings, options.migrationsDir, (line) => log.info(line));
        migrationState = { ok: true };
        if (outcome.applied.length > 0) log.info({ applied: outcome.applied }, "database migrated");
        await warnAboutServerSettings(prisma, log);
        break;
      } catch (error) {
        migrationState = { ok: false, error: error instanceof Error ? error.message : String(error) };
        if (error instanceof MigrationError) {
          // A changed or failed migration needs a human; keep serving /health.
          log.fatal({ err: error }, "database migrations refused; webhooks will not be processed until this is fixed");
          return;
        }
        log.error({ err: error }, "database unreachable; retrying migrations");
        await new Promise((resolve) => setTimeout(resolve, DATABASE_RETRY_MS));
      }
    }
    if (env.IACT_WORKER_ENABLED) {
      worker.start();
      backfills.start();
    }
    if (env.IACT_SCHEDULER_ENABLED) {
      // Catch-up runs go on in the background; a failure is recorded with the run.
      scheduler.start().catch((error: unknown) => log.error({ err: error }, "scheduler could not start"));
    }
  })();

  return {
    url,
    server,
    prisma,
    probot,
    inbox,
    worker,
    scheduler,
    log,
    databaseReady,
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await databaseReady;
      await worker.stop();
      await backfills.stop();
      await scheduler.stop();
      // A refresh cut off leaves its lease to lapse and its days to the next refresh; let it finish if it can.
      if (!(await rollupRefreshesSettled(prisma, ROLLUP_REFRESH_STOP_MS))) log.warn("DORA rollup refresh still running at shutdown; the next refresh redoes it");
      await prisma.$disconnect();
    },
  };
}

/** Logs each server setting iact-bot needs and does not have (also shown by /ready); never stops the start. */
async function warnAboutServerSettings(prisma: PrismaClient, log: Logger): Promise<void> {
  try {
    for (const problem of serverSettingsProblems(await readServerSettings(prisma))) log.warn(`MySQL server setting: ${problem}`);
  } catch (error) {
    log.warn({ err: error }, "cannot read the MySQL server's settings; /ready reports them once it can");
  }
}
