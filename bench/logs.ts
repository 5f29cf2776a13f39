// The log stores (`npm run bench -- logs`), MySQL and Cassandra in turn:
//
// 1. logging: BENCH_LOG_LINES lines (default 100,000) written through the
//    service's logger as fast as the store takes them (the producer yields
//    whenever half the buffer is unsent), with the event loop's delay (p99)
//    measured meanwhile, and the lines dropped. MySQL: the shipper on the
//    main thread, as the service runs it. Cassandra: the same shipper on the
//    main thread (before) and the worker thread the service now uses
//    (after), side by side in one run;
// 2. a dead store: the same logger over a store that never answers, lines
//    logged at full speed: how many are dropped, and the loop's delay;
// 3. reading: one day holding BENCH_LOG_DAY_LINES lines (default 200,000;
//    the million takes minutes per store on a shared 2-core
//    machine: set BENCH_LOG_DAY_LINES=1000000 for it), then
//    BENCH_LOG_READS reads (default 50) of the first page of 100 lines, with
//    and without a filter, as GET /api/data/query?type=logs makes them.
//
// MySQL: BENCH_LOG_DATABASE_URL (default the iact_test_bench_logs database),
// emptied first. Cassandra: the CASSANDRA_* settings, keyspace iact_bench_logs.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Client } from "cassandra-driver";
import { LOG_LEVELS } from "../src/lib/log-lines.js";
import type { LogLine, LogStore } from "../src/lib/log-lines.js";
import { cassandraSettingsFromEnv, createCassandraClient } from "../src/logs/cassandra-client.js";
import { CassandraLogStore, ensureLogSchema } from "../src/logs/cassandra-log-store.js";
import { createLogger } from "../src/logs/logger.js";
import { LogShipper } from "../src/logs/log-shipper.js";
import type { LogShipping } from "../src/logs/log-shipper.js";
import { LogStoreThread } from "../src/logs/log-store-thread.js";
import { parseDatabaseUrl } from "../src/store/database-url.js";
import { MysqlLogStore } from "../src/store/log-lines.js";
import { applyMigrations } from "../src/store/migrations.js";
import { createPrismaClient } from "../src/store/prisma.js";
import { dropAllTables, ensureDatabase } from "../test/support/database.js";
import { latencySummary } from "./stats.js";

const LINES = Number(process.env.BENCH_LOG_LINES ?? 100_000);
const DAY_LINES = Number(process.env.BENCH_LOG_DAY_LINES ?? 200_000);
const READS = Number(process.env.BENCH_LOG_READS ?? 50);
const BUFFER_LINES = 10_000;
const CASSANDRA_KEYSPACE = "iact_bench_logs";

const progress = (line: string) => console.error(line);

export async function benchLogs(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.BENCH_LOG_DATABASE_URL ?? "mysql://iact:iact@127.0.0.1:3306/iact_test_bench_logs";
  const settings = parseDatabaseUrl(databaseUrl);
  await ensureDatabase(settings);
  await dropAllTables(settings);
  await applyMigrations(settings, undefined, () => {});
  const prisma = createPrismaClient(settings);
  const cassandraSettings = cassandraSettingsFromEnv(process.env);
  const client: Client = createCassandraClient({ ...cassandraSettings, keyspace: CASSANDRA_KEYSPACE });
  try {
    await client.execute(`DROP KEYSPACE IF EXISTS ${CASSANDRA_KEYSPACE}`);
    await ensureLogSchema(client, CASSANDRA_KEYSPACE);
    const stores: Record<string, LogStore> = { mysql: new MysqlLogStore(prisma), cassandra: new CassandraLogStore(client, CASSANDRA_KEYSPACE) };
    const results: Record<string, unknown> = { lines: LINES, day_lines: DAY_LINES, reads: READS, buffer_lines: BUFFER_LINES };
    for (const [name, store] of Object.entries(stores)) {
      progress(`logs: ${name}: logging ${LINES} lines from the main thread`);
      const logging = await logThrough(new LogShipper(store, { maxBufferedLines: BUFFER_LINES }));
      let workerThread: Record<string, number> | undefined;
      if (name === "cassandra") {
        await client.execute(`TRUNCATE ${CASSANDRA_KEYSPACE}.log_lines`);
        progress(`logs: ${name}: logging ${LINES} lines through the worker thread`);
        workerThread = await logThrough(new LogStoreThread({ cassandra: { ...cassandraSettings, keyspace: CASSANDRA_KEYSPACE }, maxBufferedLines: BUFFER_LINES, stopTimeoutMs: 60_000 }));
        await client.execute(`TRUNCATE ${CASSANDRA_KEYSPACE}.log_lines`);
      }
      progress(`logs: ${name}: a store that never answers`);
      const deadStore: LogStore = { ...store, writeBatch: () => new Promise<void>(() => {}) };
      const dead = await logThrough(new LogShipper(deadStore, { maxBufferedLines: BUFFER_LINES }), { waitForRoom: false, flush: false });
      progress(`logs: ${name}: filling one day with ${DAY_LINES} lines`);
      results[name] = {
        ...(workerThread ? { logging_main_thread: logging, logging_worker_thread: workerThread } : { logging }),
        dead_store: { lines: dead.lines, dropped: dead.dropped, event_loop_delay_p99_ms: dead.event_loop_delay_p99_ms },
        read_one_day: await readOneDay(store),
      };
    }
    return results;
  } finally {
    await client.execute(`DROP KEYSPACE IF EXISTS ${CASSANDRA_KEYSPACE}`).catch(() => {});
    await client.shutdown();
    await prisma.$disconnect();
  }
}

async function logThrough(shipper: LogShipping, how = { waitForRoom: true, flush: true }) {
  shipper.start();
  const log = createLogger({ level: "info", secrets: ["bench-secret-value"], destination: shipper });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  for (let index = 0; index < LINES; index++) {
    log.info({ repository: "acme/api", installation: 42, request_id: `req-${index % 997}`, step: index }, `handled step ${index}`);
    if (index % 500 === 499) {
      await new Promise((resolve) => setImmediate(resolve));
      // Lines not yet written or dropped: the worker thread's counts arrive a little late, which only makes it wait longer.
      const unsent = () => index + 1 - shipper.status().written - shipper.status().dropped;
      while (how.waitForRoom && unsent() > BUFFER_LINES / 2) await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  if (how.flush) await shipper.flush();
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  if (how.flush) await shipper.stop();
  const status = shipper.status();
  return {
    lines: LINES,
    written: status.written,
    dropped: status.dropped,
    lines_per_second: Math.round(status.written / seconds),
    event_loop_delay_p99_ms: Math.round(delay.percentile(99) / 1e4) / 100,
  };
}

async function readOneDay(store: LogStore) {
  const day = Date.UTC(2026, 10, 1);
  const batch: LogLine[] = [];
  for (let index = 0; index < DAY_LINES; index++) {
    const loggedAt = new Date(day + Math.floor((index / DAY_LINES) * 86_400_000));
    const level = index % 100 === 0 ? LOG_LEVELS.error : LOG_LEVELS.info;
    const message = `step ${index} ${index % 100 === 0 ? "failed" : "done"}`;
    batch.push({ loggedAt, level, logger: "iact-bot", message, requestId: `req-${index}`, installation: 42, repository: "acme/api", actor: null, line: JSON.stringify({ time: loggedAt.toISOString(), level: "info", msg: message }) });
    if (batch.length === 1_000) await store.writeBatch(batch.splice(0));
  }
  await store.writeBatch(batch);
  const window = { from: new Date(day), to: new Date(day + 86_400_000), limit: 101 };
  const time = async (query: typeof window & Record<string, unknown>) => {
    await store.read(query);
    const samples: number[] = [];
    for (let index = 0; index < READS; index++) {
      const started = performance.now();
      await store.read(query);
      samples.push(performance.now() - started);
    }
    return latencySummary(samples);
  };
  return {
    newest_page: await time(window),
    errors_only: await time({ ...window, minLevel: LOG_LEVELS.error }),
    message_substring: await time({ ...window, text: "failed" }),
  };
}
