// The composition root of the running service: builds the logger, MySQL
// client, Probot, inbox, worker and HTTP server, and starts them in an order
// that survives a database that is down at start (the server answers
// /health at once; migrations and the worker wait for MySQL).
import type { AddressInfo } from "node:net";
import type http from "node:http";
import pino from "pino";
import type { DestinationStream, Logger } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { ApplicationFunction } from "probot";
import { iactBotApp } from "./app.js";
import { RepoConfigCache } from "./github/repo-config-cache.js";
import { githubWebRoot } from "./github/repository-web-url.js";
import { BlobCache } from "./github/blob-cache.js";
import { PAYLOAD_RULES } from "./github/payloads/validate-payload.js";
import { observeGitHubRequests } from "./github/request-observer.js";
import type { AppConfig } from "./config/env.js";
import { ApiTokens } from "./http/auth/api-tokens.js";
import { healthRoutes } from "./http/health-routes.js";
import type { ReadinessProbe } from "./http/health-routes.js";
import { Router } from "./http/router.js";
import { QueryCursors } from "./http/query-cursor.js";
import { addApiRoutes } from "./http/routes/index.js";
import { DoraMeasurer } from "./metrics/measure.js";
import { createMetricsServer, metricsEndpoint } from "./http/metrics-endpoint.js";
import { observedWebhooks } from "./http/observed-webhooks.js";
import { createHttpServer } from "./http/server.js";
import { Dashboard } from "./http/dashboard/dashboard.js";
import { oauthSettings } from "./http/dashboard/github-oauth.js";
import { readInboxBacklog } from "./inbox/inbox-backlog.js";
import { exponentialBackoff, InboxStore } from "./inbox/inbox-store.js";
import { WebhookIntake } from "./http/webhook-intake.js";
import { InboxWorker } from "./inbox/worker.js";
import { DeliveryPipeline } from "./github/delivery-pipeline.js";
import { DoraBatchCapture } from "./github/dora-batch-capture.js";
import { DoraCapture } from "./github/dora-capture.js";
import { BackfillRunner } from "./jobs/backfill-runner.js";
import { scheduledJobs } from "./jobs/catalogue.js";
import { maintenanceSettings } from "./jobs/maintenance.js";
import { webhookRepairStatus } from "./jobs/webhook-repair-job.js";
import { Scheduler } from "./jobs/scheduler.js";
import type { JobDefinition } from "./jobs/scheduler.js";
import { withTimeout } from "./lib/with-timeout.js";
import { createLogger } from "./logs/logger.js";
import { endTransport } from "./logs/end-transport.js";
import { rollingLogFile } from "./logs/log-file.js";
import { LogShipper } from "./logs/log-shipper.js";
import type { LogShipping } from "./logs/log-shipper.js";
import { LogStoreThread } from "./logs/log-store-thread.js";
import { cassandraSettingsFromEnv, createCassandraClient } from "./logs/cassandra-client.js";
import { CassandraLogStore, ensureLogSchema } from "./logs/cassandra-log-store.js";
import { MysqlLogStore } from "./store/log-lines.js";
import { ServiceMetrics } from "./observability/service-metrics.js";
import { parseDatabaseUrl } from "./store/database-url.js";
import { loadDoraInput } from "./store/dora-records.js";
import { rollupRefreshesSettled } from "./store/dora-rollups.js";
import { applyMigrations, MigrationError } from "./store/migrations.js";
import { createPrismaClient } from "./store/prisma.js";
import type { PrismaClient } from "./store/prisma.js";
import type { LogStore } from "./lib/log-lines.js";
import { appendAudit } from "./store/audit-log.js";
import type { AuditRecord } from "./store/audit-log.js";
import { readServerSettings, serverSettingsProblems } from "./store/server-settings.js";

export interface ServiceOptions {
  config: AppConfig;
  log?: Logger;
  /** Tests pass ProbotOctokit.defaults({ retry/throttle off }) here. */
  Octokit?: typeof ProbotOctokit;
  migrationsDir?: string;
  /** More Probot app functions beside iact-bot's own (tests record deliveries with one). */
  extraApps?: ApplicationFunction[];
  /** Where the service's own logger writes besides the log store (stdout by default); ignored when `log` is given. */
  logDestination?: DestinationStream;
}

export interface RunningService {
  url: string;
  server: http.Server;
  /** Where /metrics is served: `url` unless METRICS_PORT gave it a server of its own. */
  metricsUrl: string;
  metrics: ServiceMetrics;
  prisma: PrismaClient;
  probot: Probot;
  inbox: InboxStore;
  worker: InboxWorker;
  scheduler: Scheduler;
  log: Logger;
  /** Carries the logger's lines to the log store (idle when a `log` was passed in): on this thread for MySQL, in a worker thread for Cassandra. */
  logShipper: LogShipping;
  /** Resolves when migrations have been applied and the worker runs. */
  databaseReady: Promise<void>;
  stop(): Promise<void>;
}

const DATABASE_RETRY_MS = 2_000;
/** A scrape must answer even when MySQL hangs: the backlog gauges give up after this. */
const BACKLOG_READ_TIMEOUT_MS = 2_000;
/** Events that keep their own label in /metrics: those a handler reads, and GitHub's ping. */
const KNOWN_EVENTS = [...Object.keys(PAYLOAD_RULES), "ping"];
/** How long stop() lets a rollup refresh finish (within a 30 s termination grace period). */
const ROLLUP_REFRESH_STOP_MS = 20_000;
/** How long stop() lets the log store take the buffered lines. */
const LOG_FLUSH_STOP_MS = 5_000;
/** How often the service tries again to create Cassandra's log table while Cassandra does not answer. */
const LOG_STORE_RETRY_MS = 10_000;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config } = options;
  const { env } = config;
  if (!config.github) throw new Error("startService needs APP_ID, a private key and WEBHOOK_SECRET");
  const databaseSettings = parseDatabaseUrl(env.DATABASE_URL);
  const prisma = createPrismaClient(databaseSettings);
  // Every line goes to stdout and, through a bounded buffer that never makes
  // the logger wait, to the log store (src/logs/log-shipper.ts); Cassandra's
  // buffer and writes run in a worker thread (src/logs/log-store-thread.ts).
  const logs = chooseLogStore(config, prisma, env.IACT_LOG_BUFFER_LINES);
  const { store: logStore, shipping: logShipper } = logs;
  // And to a rolling file when IACT_LOG_FILE is set (src/logs/log-file.ts).
  const logFile = env.IACT_LOG_FILE ? rollingLogFile({ file: env.IACT_LOG_FILE, size: env.IACT_LOG_FILE_SIZE, count: env.IACT_LOG_FILE_COUNT }) : undefined;
  const log =
    options.log ??
    createLogger({
      level: env.LOG_LEVEL,
      secrets: config.secrets,
      base: { instance: env.IACT_INSTANCE_ID },
      destination: pino.multistream([
        { stream: options.logDestination ?? pino.destination({ sync: false }), level: "trace" },
        { stream: logShipper, level: "trace" },
        ...(logFile ? [{ stream: logFile, level: "trace" as const }] : []),
      ]),
    });
  // Prometheus metrics, fed by hooks below; no code beneath the wiring imports the metric library.
  const metrics = new ServiceMetrics({
    knownEvents: KNOWN_EVENTS,
    readInboxBacklog: () => withTimeout(readInboxBacklog(prisma), BACKLOG_READ_TIMEOUT_MS),
    log,
  });
  const githubObserver = {
    request: (endpoint: string, status: number, seconds: number) => metrics.githubRequest(endpoint, status, seconds),
    rateLimit: (installation: number | "app", remaining: number) => metrics.githubRateLimit(installation, remaining),
    checkRunCompleted: (conclusion: string) => metrics.checkRunCompleted(conclusion),
  };

  const probot = new Probot({
    appId: config.github.appId,
    privateKey: config.github.privateKey,
    secret: config.github.webhookSecret,
    log,
    ...(config.githubBaseUrl ? { baseUrl: config.githubBaseUrl } : {}),
    Octokit: (options.Octokit ?? ProbotOctokit).plugin(observeGitHubRequests(githubObserver)),
  });
  // One cache of .github/iact.yml for every feature: a push touching it invalidates it for all.
  const repoConfig = new RepoConfigCache({ log });
  const checks = {
    repoConfig,
    blobCache: new BlobCache(),
    rulesDocsUrl: env.IACT_RULES_DOCS_URL,
    appId: Number(config.github.appId),
    audit: (record: AuditRecord) => appendAudit(prisma, record),
  };
  // IACT_CHECKS_ENABLED=false: DORA capture only; no check run is created.
  // One DORA writer for the handlers and the worker's batch capture: one cache of the settings recorded.
  const doraWriter = new DoraCapture(prisma, log);
  await probot.load([iactBotApp({ log, prisma, repoConfig, ...(env.IACT_CHECKS_ENABLED ? { checks } : {}), dora: { writer: doraWriter } }), ...(options.extraApps ?? [])]);
  await probot.ready();

  const inbox = new InboxStore(prisma);
  // A claimed batch: DORA capture for all of it at once, then Probot's handlers where they have work left.
  const pipeline = new DeliveryPipeline({
    probot,
    repoConfig,
    capture: new DoraBatchCapture({ prisma, log, repoConfig, writer: doraWriter, octokitFor: (installationId) => probot.auth(installationId) }),
    checks: env.IACT_CHECKS_ENABLED,
    otherApps: (options.extraApps?.length ?? 0) > 0,
  });
  const worker = new InboxWorker(
    inbox,
    async (delivery) => {
      const started = performance.now();
      try {
        await pipeline.handle(delivery);
      } catch (error) {
        metrics.deliveryProcessed(delivery.event, "failed", (performance.now() - started) / 1000);
        throw error;
      }
      metrics.deliveryProcessed(delivery.event, "done", (performance.now() - started) / 1000);
    },
    {
      workerId: env.IACT_INSTANCE_ID,
      concurrency: env.IACT_WORKER_CONCURRENCY,
      pollIntervalMs: env.IACT_WORKER_POLL_MS,
      leaseSeconds: env.IACT_INBOX_LEASE_SECONDS,
      retry: { maxAttempts: env.IACT_INBOX_MAX_ATTEMPTS, backoffMs: exponentialBackoff },
      onRejected: (event) => metrics.deliveryRejected(event),
      batch: {
        size: env.IACT_WORKER_BATCH_SIZE,
        prepare: (deliveries) => pipeline.prepare(deliveries),
        needsHandlers: (delivery) => pipeline.needsHandlers(delivery),
      },
      // A delivery the capture step failed, or finished without handlers (the handler above sees the others).
      onBatchOutcome: (event, outcome, seconds) => metrics.deliveryProcessed(event, outcome, seconds),
    },
    log,
  );
  // Backfills queued by installation events run here, outside the deliveries (docs/capture.md).
  const backfills = new BackfillRunner(
    { prisma, log, repoConfig, octokitFor: (installationId) => probot.auth(installationId) },
    { workerId: env.IACT_INSTANCE_ID, pollIntervalMs: env.IACT_WORKER_POLL_MS, leaseSeconds: env.IACT_INBOX_LEASE_SECONDS },
  );
  const intake = observedWebhooks(new WebhookIntake({ verify: (body, signature) => probot.webhooks.verify(body, signature) }, inbox, () => worker.wake(), log), {
    received: (event) => metrics.deliveryReceived(event),
    answered: (event, answer) => metrics.deliveryAnswered(event, answer),
  });

  let migrationState: { ok: boolean; error?: string } = { ok: false, error: "not applied yet" };
  const probes: Record<string, ReadinessProbe> = {
    mysql: async () => {
      await prisma.$queryRaw`SELECT 1`;
      return { ok: true };
    },
    migrations: async () => ({ ...migrationState }),
    webhook_repair: () => webhookRepairStatus(prisma),
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
    // A store that cannot keep up loses log lines, never requests: reported, not failed.
    log_store: async () => {
      const { ok, ...status } = logShipper.status();
      return { ok: true, store: logs.kind, ...status, ...(ok ? {} : { warning: "log lines are not reaching the store; they are buffered, then dropped and counted" }) };
    },
  };
  // One measurer for every reader of DORA figures (API routes, reports and the dashboard).
  const measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log, instanceId: env.IACT_INSTANCE_ID });
  // Scheduled jobs (src/jobs/catalogue.ts), each run once across replicas; started once the database is migrated.
  const github = {
    repoConfig,
    appOctokit: () => probot.auth(),
    octokitFor: (installationId: number) => probot.auth(installationId),
    githubWebUrl: githubWebRoot(config.githubBaseUrl ?? "https://api.github.com"),
    apiUrl: env.IACT_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
  };
  const jobs = scheduledJobs({
    prisma,
    log,
    measurer,
    maintenance: maintenanceSettings(env),
    github,
    instanceId: env.IACT_INSTANCE_ID,
    readinessProbes: probes,
    logStore,
  });
  const scheduler = new Scheduler({ prisma, log, jobs: jobs.map((job) => countedJob(job, metrics)), instanceId: env.IACT_INSTANCE_ID, leaseSeconds: env.IACT_JOB_LEASE_SECONDS });
  const router = addApiRoutes(new Router().add(...healthRoutes(probes)), { prisma, measurer, jobs: scheduler, logStore, cursors: QueryCursors.derivedFrom(config.github.webhookSecret) });
  const metricsAnswer = metricsEndpoint(metrics, env.METRICS_TOKEN, log);
  const server = createHttpServer({
    router,
    webhooks: intake,
    auth: new ApiTokens(prisma),
    log,
    maxBodyBytes: env.IACT_API_MAX_BODY_BYTES,
    ...(env.METRICS_PORT === undefined ? { metrics: metricsAnswer } : {}),
    dashboard: new Dashboard({
      prisma,
      measurer,
      jobs: scheduler,
      log,
      settings: {
        ...(env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET ? { oauth: oauthSettings(env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET, env.GHE_HOST, env.GHE_PROTOCOL) } : {}),
        ...(env.IACT_PUBLIC_URL ? { publicUrl: env.IACT_PUBLIC_URL } : {}),
        trustProxy: env.IACT_TRUST_PROXY,
        sessionHours: env.IACT_DASHBOARD_SESSION_HOURS,
        accessRefreshMinutes: env.IACT_DASHBOARD_ACCESS_REFRESH_MINUTES,
      },
    }),
    observeRequest: ({ method, route, status, seconds }) => metrics.apiRequest(method, route, status, seconds),
  });
  const url = await listen(server, env.PORT, env.HOST);
  log.info({ url }, "iact-bot listening");
  const metricsServer = env.METRICS_PORT === undefined ? undefined : createMetricsServer(metricsAnswer);
  const metricsUrl = metricsServer ? await listen(metricsServer, env.METRICS_PORT ?? 0, env.HOST) : url;
  if (metricsServer) log.info({ url: `${metricsUrl}/metrics` }, "metrics served on their own port");

  let stopping = false;
  // Cassandra's keyspace and table, as `iact-bot migrate` makes them, tried until Cassandra answers; meanwhile lines wait in the buffer.
  void (async () => {
    while (!stopping) {
      try {
        await logs.prepare();
        return;
      } catch (error) {
        log.warn({ err: error }, "cannot create the Cassandra log table yet; log lines wait in the buffer");
        await new Promise((resolve) => setTimeout(resolve, LOG_STORE_RETRY_MS).unref());
      }
    }
  })();
  const databaseReady = (async () => {
    for (;;) {
      if (stopping) return;
      try {
        const outcome = await applyMigrations(databaseSettings, options.migrationsDir, (line) => log.info(line));
        migrationState = { ok: true };
        if (outcome.applied.length > 0) log.info({ applied: outcome.applied }, "database migrated");
        await warnAboutServerSettings(prisma, log);
        logShipper.start();
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
    metricsUrl,
    metrics,
    prisma,
    probot,
    inbox,
    worker,
    scheduler,
    log,
    logShipper,
    databaseReady,
    async stop() {
      stopping = true;
      await Promise.all([server, ...(metricsServer ? [metricsServer] : [])].map(close));
      await databaseReady;
      await worker.stop();
      await backfills.stop();
      await scheduler.stop();
      // A store that hangs must not hold the shutdown: what it has not taken by then is lost (and was on stdout).
      await withTimeout(logShipper.stop(), LOG_FLUSH_STOP_MS).catch(() => log.warn("log store did not take the last lines in time"));
      await logs.close();
      if (logFile) await endTransport(logFile, LOG_FLUSH_STOP_MS);
      // A refresh cut off leaves its lease to lapse and its days to the next refresh; let it finish if it can.
      if (!(await rollupRefreshesSettled(prisma, ROLLUP_REFRESH_STOP_MS))) log.warn("DORA rollup refresh still running at shutdown; the next refresh redoes it");
      await prisma.$disconnect();
    },
  };
}

async function listen(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
}

function close(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** A scheduled job whose runs on this replica are counted by outcome. */
export function countedJob(job: JobDefinition, metrics: ServiceMetrics): JobDefinition {
  return {
    ...job,
    async run(context) {
      try {
        const counts = await job.run(context);
        metrics.jobRun(job.name, "succeeded");
        return counts;
      } catch (error) {
        metrics.jobRun(job.name, "failed");
        throw error;
      }
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

interface ChosenLogStore {
  kind: "mysql" | "cassandra";
  /** Where the query API reads lines from. */
  store: LogStore;
  /** What takes the logger's lines to the store. */
  shipping: LogShipping;
  /** Creates what the store needs (Cassandra's keyspace and table). */
  prepare(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Cassandra when CASSANDRA_CONTACT_POINTS is set, MySQL's log_lines otherwise.
 * MySQL's lines are shipped on this thread through the service's own Prisma
 * pool (a thread would need a second pool and the migrations' outcome);
 * Cassandra's go through a worker thread with its own client, and this
 * thread's client only reads and creates the table.
 */
function chooseLogStore(config: AppConfig, prisma: PrismaClient, maxBufferedLines: number): ChosenLogStore {
  if (!config.cassandraEnv) {
    const store = new MysqlLogStore(prisma);
    return { kind: "mysql", store, shipping: new LogShipper(store, { maxBufferedLines }), prepare: async () => {}, close: async () => {} };
  }
  const settings = cassandraSettingsFromEnv(config.cassandraEnv);
  const client = createCassandraClient(settings);
  return {
    kind: "cassandra",
    store: new CassandraLogStore(client, settings.keyspace),
    shipping: new LogStoreThread({ cassandra: settings, maxBufferedLines, stopTimeoutMs: LOG_FLUSH_STOP_MS - 2_000 }),
    prepare: () => ensureLogSchema(client, settings.keyspace, settings.replicationFactor),
    close: () => client.shutdown(),
  };
}
