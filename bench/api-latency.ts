// GET /api/dora/metrics latency with BENCH_DEPLOYMENTS deployments (default
// 1,000,000) and BENCH_CHANGES changes (default 10,000,000) in the database.
//
// 1. load the data into BENCH_DATABASE_URL (default iact_test_bench), unless
//    it already holds exactly these sizes (loading 10M rows takes minutes)
// 2. build the daily rollups for the last BENCH_ROLLUP_DAYS days (default 120)
// 3. start the real service on that database, make a read token
// 4. time GET /api/dora/metrics for several queries (BENCH_REQUESTS each,
//    default 200), sequentially, after a warm-up
// 5. time the exact path (no rollups) in-process, for comparison
import { Readable } from "node:stream";
import mysql from "mysql2/promise";
import pino from "pino";
import { loadConfig } from "../src/config/env.js";
import { defaultDoraConfig, doraOptions } from "../src/config/dora-config.js";
import { ApiTokens } from "../src/http/auth/api-tokens.js";
import { DoraMeasurer } from "../src/metrics/measure.js";
import { startService } from "../src/service.js";
import { mysqlConnectionOptions, parseDatabaseUrl } from "../src/store/database-url.js";
import type { DatabaseSettings } from "../src/store/database-url.js";
import { loadDoraInput } from "../src/store/dora-records.js";
import { refreshDoraRollups } from "../src/store/dora-rollups.js";
import { applyMigrations } from "../src/store/migrations.js";
import { createPrismaClient } from "../src/store/prisma.js";
import { TeamMetrics } from "../src/store/team-metrics.js";
import { dropAllTables } from "../test/support/database.js";
import { testEnv, TestOctokit } from "../test/support/service.js";
import { latencySummary } from "./stats.js";
import { seededRandom as random } from "../test/support/seeded-random.js";
import { MS_PER_DAY } from "../src/dora/index.js";

const log = (line: string) => console.error(line);

// --- the data -----------------------------------------------------------------------
// BENCH_DEPLOYMENTS successful deployments and BENCH_CHANGES changes over
// BENCH_SPAN_DAYS days in BENCH_REPOS repositories, plus failed attempts (2 %),
// rollbacks (0.5 %), hotfix commits (1 %) and incidents (one per 300
// deployments, 5 % still open), streamed with LOAD DATA LOCAL INFILE (no
// temporary files). Deterministic: seeded generators, so two runs load the
// same rows.

export interface BenchSizes {
  deployments: number;
  changes: number;
  repos: number;
  /** Days of history the deployments cover, ending at `endsAt`. */
  spanDays: number;
}

export const ENVIRONMENTS = [
  ["production", 0.4],
  ["staging", 0.35],
  ["development", 0.25],
] as const;

const HOUR_MS = 3_600_000;


const sha = (kind: number, value: number) => kind.toString(16) + value.toString(16).padStart(39, "0");
const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace("T", " ");

export function repoName(index: number): string {
  return `bench/repo-${String(index).padStart(2, "0")}`;
}

interface DeploymentPlan {
  repo: number;
  environment: string;
  deployedAt: number;
  sha: string;
}

/** Deployment i (1-based), deterministic, in deployed_at order. */
function planDeployments(sizes: BenchSizes, endsAt: number): DeploymentPlan[] {
  const next = random(42);
  const start = endsAt - sizes.spanDays * MS_PER_DAY;
  const step = (sizes.spanDays * MS_PER_DAY) / sizes.deployments;
  const lastShas = new Map<string, string[]>();
  const plans: DeploymentPlan[] = [];
  for (let index = 1; index <= sizes.deployments; index += 1) {
    const repo = Math.floor(next() * sizes.repos);
    const pick = next();
    let cumulative = 0;
    let environment: string = ENVIRONMENTS[0][0];
    for (const [name, weight] of ENVIRONMENTS) {
      cumulative += weight;
      if (pick < cumulative) {
        environment = name;
        break;
      }
    }
    const key = `${repo} ${environment}`;
    const history = lastShas.get(key) ?? [];
    // 0.5 % of deployments roll back: they redeploy the sha of two deployments before.
    const rollback = history.length >= 2 && next() < 0.005;
    const deployedSha = rollback ? history[history.length - 2]! : sha(1, index);
    history.push(deployedSha);
    if (history.length > 3) history.shift();
    lastShas.set(key, history);
    plans.push({ repo, environment, deployedAt: Math.floor(start + (index - 1) * step + next() * step), sha: deployedSha });
  }
  return plans;
}

/** Lines of a LOAD DATA stream, yielded in blocks. */
function stream(lines: () => Generator<string>): Readable {
  return Readable.from(
    (function* () {
      let block: string[] = [];
      for (const line of lines()) {
        block.push(line);
        if (block.length === 5_000) {
          yield Buffer.from(block.join(""));
          block = [];
        }
      }
      if (block.length > 0) yield Buffer.from(block.join(""));
    })(),
  );
}

export interface LoadFigures {
  deployments: number;
  failed_attempts: number;
  changes: number;
  incidents: number;
  repos: number;
  span_days: number;
  load_seconds: Record<string, number>;
}

export async function loadBenchData(settings: DatabaseSettings, sizes: BenchSizes, endsAt: number, log: (line: string) => void): Promise<LoadFigures> {
  const connection = await mysql.createConnection({
    ...mysqlConnectionOptions(settings),
    infileStreamFactory: () => {
      throw new Error("each LOAD DATA passes its own stream");
    },
  });
  const seconds: Record<string, number> = {};
  const timed = async (name: string, work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    seconds[name] = Math.round((performance.now() - started) / 100) / 10;
    log(`bench data: ${name} loaded in ${seconds[name]} s`);
  };
  const load = async (sql: string, lines: () => Generator<string>) => {
    await connection.query({ sql, infileStreamFactory: () => stream(lines) } as never);
  };
  try {
    await connection.query("SET unique_checks = 0, foreign_key_checks = 0, sql_log_bin = 0");
  } catch {
    await connection.query("SET unique_checks = 0, foreign_key_checks = 0");
  }
  const plans = planDeployments(sizes, endsAt);
  const attempts = Math.round(sizes.deployments / 50);
  const changesPer = sizes.changes / sizes.deployments;
  const incidents = Math.max(1, Math.round(sizes.deployments / 300));
  try {
    await timed("deployments", async () => {
      const next = random(7);
      await load(
        "LOAD DATA LOCAL INFILE 'deployments' INTO TABLE dora_deployments FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' " +
          "(id, repo, installation_id, source_key, source, environment, sha, ref, created_at, state, state_at, deployed_at, failed_at, changes_base_sha, changes_computed_at, changes_truncated)",
        function* () {
          for (let index = 0; index < plans.length; index += 1) {
            const plan = plans[index]!;
            const id = index + 1;
            const at = sqlTime(plan.deployedAt);
            yield `${id}\t${repoName(plan.repo)}\t1\tdeployment:${id}\tdeployment\t${plan.environment}\t${plan.sha}\tmain\t${sqlTime(plan.deployedAt - 120_000)}\tsuccess\t${at}\t${at}\t\\N\t\\N\t${at}\t0\n`;
          }
          // Failed attempts: rows that never succeeded.
          for (let index = 0; index < attempts; index += 1) {
            const id = plans.length + index + 1;
            const failedAt = endsAt - Math.floor(next() * sizes.spanDays * MS_PER_DAY);
            const environment = ENVIRONMENTS[Math.floor(next() * ENVIRONMENTS.length)]![0];
            yield `${id}\t${repoName(Math.floor(next() * sizes.repos))}\t1\tdeployment:${id}\tdeployment\t${environment}\t${sha(2, id)}\tmain\t${sqlTime(failedAt - 60_000)}\tfailure\t${sqlTime(failedAt)}\t\\N\t${sqlTime(failedAt)}\t\\N\t\\N\t0\n`;
          }
        },
      );
    });
    await timed("changes", async () => {
      // One LOAD DATA per slice keeps each transaction (and its undo log) bounded.
      const slice = 200_000;
      for (let first = 0; first < plans.length; first += slice) {
        const next = random(1_000 + first);
        await load(
          "LOAD DATA LOCAL INFILE 'changes' INTO TABLE dora_changes FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' " +
            "(id, deployment_id, sha, authored_at, committed_at, message, pr_repo, pr_number)",
          function* () {
            for (let index = first; index < Math.min(plans.length, first + slice); index += 1) {
              const plan = plans[index]!;
              const deploymentId = index + 1;
              const from = Math.round(index * changesPer);
              const to = Math.round((index + 1) * changesPer);
              for (let change = from; change < to; change += 1) {
                // Lead time: 30 min plus an exponential tail (median about a day).
                const leadMs = HOUR_MS / 2 + -Math.log(1 - next()) * 30 * HOUR_MS;
                const authored = sqlTime(plan.deployedAt - leadMs);
                const message = next() < 0.01 ? `hotfix: patch ${change}` : `feat: change ${change}`;
                yield `${change + 1}\t${deploymentId}\t${sha(3, change + 1)}\t${authored}\t${authored}\t${message}\t\\N\t\\N\n`;
              }
            }
          },
        );
        log(`bench data: changes of deployments ${first + 1}..${Math.min(plans.length, first + slice)}`);
      }
    });
    await timed("incidents", async () => {
      const next = random(99);
      const production = plans.filter((plan) => plan.environment === "production");
      const numbers = new Map<number, number>();
      await load(
        "LOAD DATA LOCAL INFILE 'incidents' INTO TABLE dora_incidents FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' " +
          "(id, repo, number, installation_id, title, body, labels, is_incident, opened_at, closed_at, root_cause_sha, environment, github_updated_at)",
        function* () {
          for (let index = 0; index < incidents && production.length > 0; index += 1) {
            const cause = production[Math.floor(next() * production.length)]!;
            const number = (numbers.get(cause.repo) ?? 0) + 1;
            numbers.set(cause.repo, number);
            const opened = cause.deployedAt + Math.floor(next() * 24 * HOUR_MS);
            const closed = next() < 0.05 ? "\\N" : sqlTime(opened + HOUR_MS / 2 + Math.floor(next() * 48 * HOUR_MS));
            yield `${index + 1}\t${repoName(cause.repo)}\t${number}\t1\tOutage ${index + 1}\t\\N\t["incident"]\t1\t${sqlTime(opened)}\t${closed}\t\\N\t\\N\t${sqlTime(opened)}\n`;
          }
        },
      );
    });
    await connection.query("ANALYZE TABLE dora_deployments, dora_changes, dora_incidents");
  } finally {
    await connection.end();
  }
  return { deployments: sizes.deployments, failed_attempts: attempts, changes: sizes.changes, incidents, repos: sizes.repos, span_days: sizes.spanDays, load_seconds: seconds };
}

// --- the benchmark --------------------------------------------------------------------

async function ensureDatabase(settings: DatabaseSettings): Promise<void> {
  const connection = await mysql.createConnection(mysqlConnectionOptions(settings, { database: false }));
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${settings.database}\``);
  } finally {
    await connection.end();
  }
}

async function loadedSizes(settings: DatabaseSettings): Promise<{ deployments: number; changes: number } | null> {
  const connection = await mysql.createConnection(mysqlConnectionOptions(settings));
  try {
    const [deployments] = await connection.query("SELECT COUNT(*) AS n FROM dora_deployments WHERE deployed_at IS NOT NULL");
    const [changes] = await connection.query("SELECT COUNT(*) AS n FROM dora_changes");
    return { deployments: Number((deployments as Array<{ n: number }>)[0]!.n), changes: Number((changes as Array<{ n: number }>)[0]!.n) };
  } catch {
    return null;
  } finally {
    await connection.end();
  }
}

async function timeRequests(url: string, token: string, path: string, count: number): Promise<Record<string, unknown>> {
  const samples: number[] = [];
  let method = "";
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const response = await fetch(new URL(path, url), { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { dora?: { method: string; deployment_frequency: { deployments: number } } };
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
    method = `${body.dora?.method} (${body.dora?.deployment_frequency.deployments} deployments in scope)`;
  }
  return { path, answered_by: method, ...latencySummary(samples) };
}

export async function benchApiLatency(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? "mysql://iact:iact@127.0.0.1:3306/iact_test_bench";
  const settings = parseDatabaseUrl(databaseUrl);
  const sizes: BenchSizes = {
    deployments: Number(process.env.BENCH_DEPLOYMENTS ?? 1_000_000),
    changes: Number(process.env.BENCH_CHANGES ?? 10_000_000),
    repos: Number(process.env.BENCH_REPOS ?? 40),
    spanDays: Number(process.env.BENCH_SPAN_DAYS ?? 1095),
  };
  const requests = Number(process.env.BENCH_REQUESTS ?? 200);
  const rollupDays = Number(process.env.BENCH_ROLLUP_DAYS ?? 120);
  const result: Record<string, unknown> = { name: "api-latency", database: settings.database, sizes };

  // 1. data
  await ensureDatabase(settings);
  const present = await loadedSizes(settings);
  if (present && present.deployments === sizes.deployments && present.changes === sizes.changes) {
    result.load = { reused: true, note: "the database already held these sizes; set BENCH_RELOAD=1 to reload" };
  }
  if (!result.load || process.env.BENCH_RELOAD === "1") {
    await dropAllTables(settings);
    await applyMigrations(settings);
    const started = performance.now();
    const figures = await loadBenchData(settings, sizes, Date.now(), log);
    result.load = { reused: false, ...figures, total_seconds: Math.round((performance.now() - started) / 100) / 10 };
  }
  await applyMigrations(settings);
  const prisma = createPrismaClient(settings);
  try {
    // Some team records, so the plan's half of the answer does real work too.
    await prisma.teamMetric.deleteMany({});
    const now = Date.now();
    await new TeamMetrics(prisma).importMany(
      Array.from({ length: 10_000 }, (_, index) => ({
        cycle_id: `bench-${index}`,
        feature_id: `FEAT-${index % 50}`,
        phase_name: (["planning", "testing", "deployment", "maintenance"] as const)[index % 4]!,
        decision: (["go", "no-go", "review", "blocked"] as const)[index % 4]!,
        duration_seconds: (index % 7200) + 0.25,
        metadata: {},
        created_at: new Date(now - (index % 365) * MS_PER_DAY).toISOString(),
      })),
    );

    // 2. rollups
    const to = new Date();
    const from = new Date(to.getTime() - rollupDays * MS_PER_DAY);
    log(`bench: building rollups for ${rollupDays} days`);
    const refresh = await refreshDoraRollups(prisma, { from, to, doraOptions: doraOptions(defaultDoraConfig, from, to), load: (query) => loadDoraInput(prisma, query) });
    result.rollup_build = { days: rollupDays, repos: refresh.repos, rows: refresh.rows, seconds: refresh.seconds };

    // 3-4. the real server
    const config = loadConfig(testEnv({ DATABASE_URL: databaseUrl, IACT_WORKER_ENABLED: "false" }));
    const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
    await service.databaseReady;
    const { token } = await new ApiTokens(prisma).create(`bench-${Date.now()}`, "read");
    try {
      for (let index = 0; index < 10; index += 1) await timeRequests(service.url, token, "/api/dora/metrics?days=30", 1);
      const scenarios = [
        [`/api/dora/metrics?days=30`, requests],
        [`/api/dora/metrics?days=30&repo=${repoName(7)}`, Math.ceil(requests / 2)],
        [`/api/dora/metrics?days=1&repo=${repoName(7)}`, Math.ceil(requests / 2)],
        [`/api/dora/metrics?days=7&environment=staging`, Math.ceil(requests / 2)],
        [`/api/dora/metrics?days=90`, Math.ceil(requests / 2)],
      ] as const;
      const latency: Record<string, unknown>[] = [];
      for (const [path, count] of scenarios) {
        latency.push(await timeRequests(service.url, token, path, count));
        log(`bench: ${path} done`);
      }
      result.latency = latency;
    } finally {
      await service.stop();
    }

    // 5. the exact path, in-process, for comparison (what every request would cost without rollups)
    const exact: Record<string, unknown>[] = [];
    const exactCases: Array<[{ days: number; repo?: string }, number]> = [[{ days: 30, repo: repoName(7) }, 3]];
    if (process.env.BENCH_EXACT_ALL !== "0") exactCases.push([{ days: 30 }, 1]);
    let records = {};
    // The service's measurer without a database client: no rollups, every answer exact.
    const exactMeasurer = new DoraMeasurer({
      load: async (loaderQuery) => {
        const input = await loadDoraInput(prisma, loaderQuery);
        records = { deployments_loaded: input.deployments.length, changes_loaded: input.changes.length };
        return input;
      },
    });
    for (const [query, count] of exactCases) {
      const samples: number[] = [];
      for (let index = 0; index < count; index += 1) {
        const started = performance.now();
        await exactMeasurer.measure(query, new Date(), { exact: true });
        samples.push(performance.now() - started);
      }
      exact.push({ query, ...records, ...latencySummary(samples) });
      log(`bench: exact ${JSON.stringify(query)} done`);
    }
    result.exact_in_process = exact;
  } finally {
    await prisma.$disconnect();
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchApiLatency(), null, 2));
  process.exit(0);
}
