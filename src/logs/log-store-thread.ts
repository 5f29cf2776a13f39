// The main thread's end of the Cassandra log store's worker thread
// (src/logs/log-store-worker.ts): a destination for the logger that hands
// lines to the thread, and the thread's counts for /ready and the health
// snapshots, as it last posted them. If the thread itself dies, the lines it
// held and the lines written after that are counted as dropped here, and the
// reason shows as the store's error.
import { fileURLToPath } from "node:url";
import pino from "pino";
import { withTimeout } from "../lib/with-timeout.js";
import { endTransport } from "./end-transport.js";
import type { LogShipperStatus, LogShipping } from "./log-shipper.js";
import type { LogStoreWorkerOptions } from "./log-store-worker.js";
import { CLOSE_TIMEOUT_MS, LOG_STORE_STATUS_EVENT } from "./log-store-worker.js";

type ThreadStream = ReturnType<typeof pino.transport>;

/** How often the thread posts its counts when they changed. */
const STATUS_INTERVAL_MS = 100;

export class LogStoreThread implements LogShipping {
  private readonly stream: ThreadStream;
  private reported: LogShipperStatus = { ok: true, buffered: 0, written: 0, dropped: 0 };
  /** Lines that reached this side after the thread stopped. */
  private lostHere = 0;
  private failure: string | undefined;
  private ended = false;
  private closed = false;

  private readonly stopTimeoutMs: number;

  /** `stopTimeoutMs`: how long stop() lets Cassandra take the buffered lines. */
  constructor(options: Omit<LogStoreWorkerOptions, "statusIntervalMs"> & { stopTimeoutMs: number }) {
    const { stopTimeoutMs, ...settings } = options;
    this.stopTimeoutMs = stopTimeoutMs;
    const workerOptions: LogStoreWorkerOptions = { ...settings, statusIntervalMs: STATUS_INTERVAL_MS };
    this.stream = pino.transport({ target: workerModule(), options: workerOptions, worker: workerThreadOptions() });
    this.stream.on(LOG_STORE_STATUS_EVENT, (status: LogShipperStatus) => {
      this.reported = status;
    });
    this.stream.once("close", () => {
      this.closed = true;
    });
    // Without a listener an error event would end the process; a dead log thread must not.
    this.stream.on("error", (error: Error) => {
      this.failure ??= `the log store's thread stopped: ${error.message}`;
      // What the thread held went with it.
      this.lostHere += this.reported.buffered;
      this.reported = { ...this.reported, buffered: 0 };
    });
  }

  /** pino's destination interface: newline-terminated JSON lines. */
  write(chunk: string): boolean {
    if (this.failure !== undefined || this.ended) {
      this.lostHere += chunk.split("\n").filter((line) => line.length > 0).length;
      return true;
    }
    return this.stream.write(chunk);
  }

  /** The thread starts shipping as soon as it runs. */
  start(): void {}

  /** Waits until the thread has sent what was written before the call (or failed to). */
  async flush(): Promise<void> {
    if (this.failure !== undefined || this.ended) return;
    await new Promise<void>((resolve, reject) => this.stream.flush((error) => (error ? reject(error) : resolve())));
  }

  /**
   * Sends what the thread holds (within `stopTimeoutMs`), then ends it. The
   * flush goes first because it waits without blocking: thread-stream's end()
   * holds this thread until the worker has closed, which the worker bounds.
   */
  async stop(): Promise<void> {
    if (this.ended) return;
    await withTimeout(this.flush(), this.stopTimeoutMs).catch(() => {});
    this.ended = true;
    if (!this.closed) await endTransport(this.stream, 3 * CLOSE_TIMEOUT_MS);
  }

  status(): LogShipperStatus {
    const error = this.failure ?? this.reported.error;
    return {
      ...this.reported,
      ok: error === undefined,
      dropped: this.reported.dropped + this.lostHere,
      ...(error !== undefined ? { error } : {}),
    };
  }
}

/** The worker's module: the built .js beside this file, or the .ts source when run through tsx or vitest. */
function workerModule(): string {
  return fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "./log-store-worker.ts" : "./log-store-worker.js", import.meta.url));
}

/** A thread started from the TypeScript sources loads them through tsx, as the process that started it does. */
function workerThreadOptions(): { execArgv?: string[] } {
  return import.meta.url.endsWith(".ts") ? { execArgv: ["--import", "tsx"] } : {};
}
