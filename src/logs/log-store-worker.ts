// The Cassandra log store's own thread. pino.transport() runs this module in
// a worker thread (thread-stream): the logger hands each line over through
// shared memory, and everything after that (parsing the line, the bounded
// buffer, the driver's serialising and sending, retries while Cassandra is
// down) happens here, never on the event loop that answers webhooks.
//
// The main thread learns the buffer's counts from status events this thread
// posts through thread-stream's message port whenever they change, and a
// flush of the stream (ThreadStream.flush) waits here until the buffer has
// been sent: src/logs/log-store-thread.ts is the other end.
import { parentPort } from "node:worker_threads";
import build from "pino-abstract-transport";
import { withTimeout } from "../lib/with-timeout.js";
import type { CassandraSettings } from "./cassandra-client.js";
import { createCassandraClient } from "./cassandra-client.js";
import { CassandraLogStore } from "./cassandra-log-store.js";
import type { LogShipperStatus } from "./log-shipper.js";
import { LogShipper } from "./log-shipper.js";

export interface LogStoreWorkerOptions {
  cassandra: CassandraSettings;
  /** Lines held while Cassandra catches up; beyond it lines are dropped and counted. */
  maxBufferedLines: number;
  /** How often the counts are posted to the main thread when they changed. */
  statusIntervalMs: number;
}

/**
 * What the thread allows, once its stream ends, for the lines that came after
 * the last flush and for closing the driver's connections: thread-stream's
 * end() blocks the main thread until the thread is done.
 */
export const CLOSE_TIMEOUT_MS = 1_000;

/** The event the main thread's stream emits with a LogShipperStatus. */
export const LOG_STORE_STATUS_EVENT = "log-store-status";

export default async function logStoreTransport(options: LogStoreWorkerOptions) {
  const client = createCassandraClient(options.cassandra);
  const shipper = new LogShipper(new CassandraLogStore(client, options.cassandra.keyspace), { maxBufferedLines: options.maxBufferedLines });
  let posted = "";
  const postStatus = () => {
    const status: LogShipperStatus = shipper.status();
    const text = JSON.stringify(status);
    if (text === posted) return;
    posted = text;
    // thread-stream turns { code: "EVENT" } messages into events on the main thread's stream.
    parentPort?.postMessage({ code: "EVENT", name: LOG_STORE_STATUS_EVENT, args: [status] });
  };
  const statusTimer = setInterval(postStatus, options.statusIntervalMs);
  shipper.start();

  const stream = await build(
    (source) => {
      // Never awaits the store: the thread keeps reading the shared buffer, so
      // the logger on the main thread never waits for room in it.
      source.on("data", (line: string) => shipper.write(line));
    },
    {
      parse: "lines",
      // The shipper parses each line once; pino-abstract-transport would parse it too.
      parseLine: (line) => line,
      close: async () => {
        clearInterval(statusTimer);
        await withTimeout(shipper.stop(), CLOSE_TIMEOUT_MS).catch(() => {});
        postStatus();
        await withTimeout(client.shutdown(), CLOSE_TIMEOUT_MS).catch(() => {});
      },
    },
  );
  // ThreadStream.flush() on the main thread calls this once the thread has read every line written before it.
  return Object.assign(stream, {
    async flush() {
      await shipper.flush();
      postStatus();
    },
  });
}
