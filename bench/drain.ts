// The worker's drain rate into the DORA tables. Several repositories, each a
// history of merged pull requests, each merge pushed to the default branch
// and deployed to production (deployment, then in_progress and success
// statuses): per unit of work one pull_request.closed, one push, one
// deployment and two deployment_status deliveries. Two forms:
//   - preloaded: every delivery is already stored in the inbox when the
//     worker starts; events/s from its start until every delivery is done
//     and each repository's DORA report counts every deployment and lead time;
//   - during intake: the same deliveries posted, signed, 16 in flight, with
//     the worker on (the form of the ingest benchmark).
// GitHub is nock, answering each call after `latencyMs` (0 and 30 ms: real
// GitHub answers in tens of milliseconds, so GitHub calls dominate). Statements
// sent to MySQL are counted at the driver adapter, per event.
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import nock from "nock";
import pino from "pino";
import { loadConfig } from "../src/config/env.js";
import { computeDoraReport } from "../src/dora/index.js";
import { deliveryFields } from "../src/inbox/delivery-fields.js";
import { startService } from "../src/service.js";
import type { RunningService } from "../src/service.js";
import { loadDoraInput } from "../src/store/dora-records.js";
import { applyMigrations } from "../src/store/migrations.js";
import { API, at, FakeRepo, OWNER } from "../test/github/dora-capture/fake-github.js";
import type { Delivery } from "../test/github/dora-capture/fake-github.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables, withConnection } from "../test/support/database.js";
import { sendWebhook } from "../test/support/github-app.js";
import { fakeGitHubPermissively } from "../test/support/permissive-github.js";
import { testEnv, TestOctokit } from "../test/support/service.js";

const START = Date.parse("2024-01-01T00:00:00Z");
const HOURS_PER_UNIT = 4;

/** `units` merged PRs of one repository, each pushed and deployed to production. */
function repositoryHistory(name: string, units: number): FakeRepo {
  const repo = new FakeRepo(name);
  const time = (hours: number) => new Date(START + hours * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
  repo.commit(`${name}-c0`, [], time(0), "Initial commit");
  let main = `${name}-c0`;
  for (let unit = 1; unit <= units; unit += 1) {
    const hour = unit * HOURS_PER_UNIT;
    const feature = `${name}-f${unit}`;
    const merge = `${name}-m${unit}`;
    repo.commit(feature, [main], time(hour), `Feature ${unit}`);
    repo.commit(merge, [main, feature], time(hour + 1), `Merge pull request #${unit}`);
    repo.pull({ number: unit, title: `Feature ${unit}`, head: `feature-${unit}`, commits: [feature], openedAt: at(time(hour)), mergedAt: at(time(hour + 1)), mergeCommit: merge });
    repo.deployment(10_000 + unit, merge, "production", time(hour + 2), [["in_progress", time(hour + 2)], ["success", time(hour + 3)]]);
    main = merge;
  }
  return repo;
}

/** The events the drain is measured on: opened PRs only wake the checks, so they are left out. */
function drainedDeliveries(repo: FakeRepo): Delivery[] {
  return repo.deliveries().filter((delivery) => !(delivery.event === "pull_request" && delivery.payload.action === "opened"));
}

/** Statements the service sends to MySQL, counted at the driver adapter (every client the process makes). */
class StatementCounter {
  statements = 0;
  /** By statement shape (first 90 characters), when BENCH_DRAIN_SQL is set: where the statements go. */
  readonly shapes = new Map<string, number>();

  private count(args: unknown[]): void {
    this.statements += 1;
    if (!process.env.BENCH_DRAIN_SQL) return;
    const sql = (args[0] as { sql?: string } | undefined)?.sql ?? "?";
    const shape = sql.replace(/\s+/g, " ").slice(0, 90);
    this.shapes.set(shape, (this.shapes.get(shape) ?? 0) + 1);
  }

  install(): () => void {
    const original = PrismaMariaDb.prototype.connect;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched method needs both `this`es
    const counter = this;
    PrismaMariaDb.prototype.connect = async function connect(this: PrismaMariaDb) {
      const adapter = await original.call(this);
      return counter.counted(adapter);
    };
    return () => {
      PrismaMariaDb.prototype.connect = original;
    };
  }

  private counted<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== "function") return value;
        if (property === "queryRaw" || property === "executeRaw" || property === "executeScript") {
          return (...args: unknown[]) => {
            this.count(args);
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        if (property === "startTransaction") {
          return async (...args: unknown[]) => this.counted((await (value as (...a: unknown[]) => Promise<object>).apply(object, args)) as object);
        }
        if (property === "commit" || property === "rollback") {
          return (...args: unknown[]) => {
            this.count([{ sql: String(property).toUpperCase() }]);
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  }
}

async function startProfiler(): Promise<{ stopInto: (file: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    stopInto: async (file) => {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

export interface DrainOptions {
  repositories: number;
  unitsPerRepository: number;
  latencyMs: number;
  workerConcurrency?: number;
  /** IACT_WORKER_BATCH_SIZE (default: the service's). */
  batchSize?: number;
  /** false: IACT_CHECKS_ENABLED=false, DORA capture only (pushes then create no check runs). Default true. */
  checks?: boolean;
  /** "preloaded": stored before the worker starts; "intake": posted while it runs. */
  form: "preloaded" | "intake";
  /** Only these events (to see what each costs): the reports are then not checked, only that every delivery is done. */
  events?: readonly string[];
}

function fakeGitHub(repos: FakeRepo[], latencyMs: number): { calls: () => number } {
  nock.cleanAll();
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
  for (const repo of repos) repo.intercept({ latencyMs });
  nock(API).persist().get(`/repos/${OWNER}/.github/contents/.github%2Fiact.yml`).delay(latencyMs).reply(404, { message: "Not Found" });
  // The checks of each push create and complete their runs (POST, PATCH).
  const others = fakeGitHubPermissively({ latencyMs });
  return { calls: () => repos.reduce((sum, repo) => sum + repo.calls.length, 0) + others.calls };
}

async function store(service: RunningService, deliveries: readonly Delivery[]): Promise<void> {
  const inFlight = 64;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next]!;
        next += 1;
        const { notes: _notes, ...fields } = deliveryFields(delivery.payload);
        await service.inbox.store({ deliveryId: randomUUID(), event: delivery.event, body: Buffer.from(JSON.stringify(delivery.payload)), fields });
      }
    }),
  );
}

async function post(service: RunningService, deliveries: readonly Delivery[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next]!;
        next += 1;
        const { response } = await sendWebhook(service.url, delivery.event, delivery.payload);
        if (response.status !== 202) throw new Error(`unexpected status ${response.status}`);
      }
    }),
  );
}

/** Every repository's report counts each unit's deployment and lead time, and each deployment its two changes (one for the first). */
async function reportsComplete(service: RunningService, repos: readonly FakeRepo[], units: number): Promise<boolean> {
  const from = new Date(START);
  const to = new Date(START + (units + 2) * HOURS_PER_UNIT * 3_600_000);
  for (const repo of repos) {
    const report = computeDoraReport(await loadDoraInput(service.prisma, { repo: repo.fullName, from, to }), { from, to });
    if (report.deployment_frequency.deployments !== units || report.lead_time_hours.count !== units) return false;
  }
  return (await service.prisma.doraChange.count()) === repos.length * (2 * units - 1);
}

export async function measureDrain(options: DrainOptions): Promise<Record<string, unknown>> {
  await truncateAllTables();
  const repos = Array.from({ length: options.repositories }, (_, index) => repositoryHistory(`shop-${index}`, options.unitsPerRepository));
  const github = fakeGitHub(repos, options.latencyMs);
  // Repositories interleaved in time, as GitHub would send them.
  const deliveries = repos
    .flatMap(drainedDeliveries)
    .filter((delivery) => !options.events || options.events.includes(delivery.event))
    .sort((a, b) => a.at.localeCompare(b.at));
  const counter = new StatementCounter();
  const uninstall = counter.install();
  const env: Record<string, string> = { DATABASE_URL: TEST_DATABASE_URL, IACT_WORKER_ENABLED: "false", IACT_WORKER_POLL_MS: "20" };
  if (options.workerConcurrency !== undefined) env.IACT_WORKER_CONCURRENCY = String(options.workerConcurrency);
  if (options.batchSize !== undefined) env.IACT_WORKER_BATCH_SIZE = String(options.batchSize);
  if (options.checks === false) env.IACT_CHECKS_ENABLED = "false";
  const config = loadConfig(testEnv(env));
  const service = await startService({ config, log: pino({ level: process.env.BENCH_LOG_LEVEL ?? "silent" }), Octokit: TestOctokit });
  try {
    await service.databaseReady;
    if (options.form === "preloaded") await store(service, deliveries);
    // BENCH_DRAIN_PROFILE=<file>: a CPU profile of the drain alone (not the preload), for Chrome's DevTools.
    const profiler = process.env.BENCH_DRAIN_PROFILE ? await startProfiler() : undefined;
    const statementsBefore = counter.statements;
    const callsBefore = github.calls();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    service.worker.start();
    if (options.form === "intake") await post(service, deliveries);
    // Watched through a connection of its own, so that its reads are not counted as the service's.
    const seconds = await withConnection(async (connection) => {
      const deadline = Date.now() + 600_000;
      for (;;) {
        const [rows] = await connection.query("SELECT SUM(status = 'done') AS done, SUM(status = 'failed') AS failed FROM webhook_deliveries");
        const { done, failed } = (rows as Array<{ done: string | null; failed: string | null }>)[0]!;
        const complete = Number(done) === deliveries.length && (options.events !== undefined || (await reportsComplete(service, repos, options.unitsPerRepository)));
        if (complete) return (performance.now() - started) / 1000;
        if (Number(failed) > 0 || Date.now() > deadline) throw new Error(`drain stalled: ${done}/${deliveries.length} done, ${failed} failed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const cpu = process.cpuUsage(cpuBefore);
    if (profiler) await profiler.stopInto(process.env.BENCH_DRAIN_PROFILE!);
    const retried = await service.prisma.webhookDelivery.count({ where: { attempts: { gt: 1 } } });
    const byEvent: Record<string, number> = {};
    for (const delivery of deliveries) byEvent[delivery.event] = (byEvent[delivery.event] ?? 0) + 1;
    return {
      form: options.form,
      repositories: options.repositories,
      deliveries: deliveries.length,
      by_event: byEvent,
      github_latency_ms: options.latencyMs,
      worker_concurrency: config.env.IACT_WORKER_CONCURRENCY,
      worker_batch_size: config.env.IACT_WORKER_BATCH_SIZE,
      checks: config.env.IACT_CHECKS_ENABLED,
      events_per_second: Math.round((deliveries.length / seconds) * 10) / 10,
      seconds: Math.round(seconds * 100) / 100,
      // The worker's claims and outcomes included; the reports read at the end too (a handful).
      // This process's CPU (user + system) per event: what the machine's load does not change much.
      cpu_ms_per_event: Math.round(((cpu.user + cpu.system) / 1000 / deliveries.length) * 100) / 100,
      statements_per_event: Math.round(((counter.statements - statementsBefore) / deliveries.length) * 10) / 10,
      github_calls_per_event: Math.round(((github.calls() - callsBefore) / deliveries.length) * 100) / 100,
      deliveries_retried: retried,
      ...(process.env.BENCH_DRAIN_SQL ? { statement_shapes: Object.fromEntries([...counter.shapes].sort((a, b) => b[1] - a[1])) } : {}),
      deployments: await service.prisma.doraDeployment.count(),
      changes: await service.prisma.doraChange.count(),
    };
  } finally {
    await service.stop();
    uninstall();
    nock.cleanAll();
  }
}

export async function benchDrain(): Promise<Record<string, unknown>> {
  await applyMigrations(testDatabaseSettings());
  const repositories = Number(process.env.BENCH_DRAIN_REPOSITORIES ?? 8);
  const units = Number(process.env.BENCH_DRAIN_UNITS_PER_REPOSITORY ?? 100);
  const base = { repositories, unitsPerRepository: units };
  // Warm-up, not reported: a process's first drains run on code the JIT has
  // not optimised yet (measured, four 4,000-delivery drains in a row: 686,
  // 1,005, 1,069, 1,101 events/s). A service that has run for minutes is
  // in the later state; two full drains first get the figures there.
  for (let round = 0; round < 2; round += 1) await measureDrain({ ...base, latencyMs: 0, form: "preloaded", checks: false });
  const brief = (figures: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(figures).filter(([key]) => ["deliveries", "events_per_second", "seconds", "cpu_ms_per_event", "statements_per_event", "github_calls_per_event", "deliveries_retried"].includes(key)));
  // DORA capture only (IACT_CHECKS_ENABLED=false): what the drain into the DORA tables costs.
  const doraOnly: Record<string, unknown> = {};
  for (const latencyMs of [0, 30]) doraOnly[`preloaded_latency_${latencyMs}ms`] = await measureDrain({ ...base, latencyMs, form: "preloaded", checks: false });
  doraOnly.intake_latency_30ms = await measureDrain({ ...base, latencyMs: 30, form: "intake", checks: false });
  // The same deliveries with the checks on (the default): every push to the default branch also runs three checks.
  const withChecks: Record<string, unknown> = {};
  for (const latencyMs of [0, 30]) withChecks[`preloaded_latency_${latencyMs}ms`] = await measureDrain({ ...base, latencyMs, form: "preloaded" });
  withChecks.intake_latency_30ms = await measureDrain({ ...base, latencyMs: 30, form: "intake" });
  // Claimed batch size, DORA only at 0 ms: 4 is about the one-delivery-at-a-time worker of before (4 in hand).
  const batchSizes: Record<string, unknown> = {};
  for (const batchSize of [4, 25, 100, 400]) batchSizes[`batch_${batchSize}`] = brief(await measureDrain({ ...base, latencyMs: 0, form: "preloaded", checks: false, batchSize }));
  // Where the time goes: each event on its own (a deployment_status without its PR looks the PR up on GitHub).
  const byEvent: Record<string, unknown> = {};
  for (const event of ["push", "pull_request", "deployment", "deployment_status"]) {
    byEvent[event] = brief(await measureDrain({ ...base, latencyMs: 0, form: "preloaded", checks: false, events: [event] }));
  }
  return {
    name: "drain",
    description:
      "DORA deliveries (per merged PR: pull_request.closed, push, deployment, 2 deployment_status) over several repositories -> worker (claimed batches, DORA capture per batch) -> DORA tables, until every repository's report counts them; GitHub faked with nock at 0 and 30 ms per call; DORA only (IACT_CHECKS_ENABLED=false) and with the checks on",
    dora_only: doraOnly,
    with_checks: withChecks,
    batch_sizes_dora_only_latency_0ms: batchSizes,
    each_event_alone_dora_only_latency_0ms: byEvent,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchDrain(), null, 2));
  process.exit(0);
}
