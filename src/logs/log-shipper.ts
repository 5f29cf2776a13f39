// Carries the logger's lines to a log store without ever making the logger
// wait. write() only appends the line to a bounded buffer (pino calls it
// synchronously for every line); a timer, or a full batch, sends the buffer
// in batches, one at a time. When the store is slow or down the buffer fills
// and further lines are dropped and counted: the count shows in /ready and
// in the health snapshots. A failed batch goes back to the buffer if there
// is room, so a short outage loses nothing.
import type { LogLine, LogStore } from "../lib/log-lines.js";
import { parseLogLine } from "../lib/log-lines.js";

export interface LogShipperOptions {
  /** Lines held while the store catches up; beyond it lines are dropped and counted. */
  maxBufferedLines: number;
  /** Lines per batch (one INSERT or one Cassandra batch). */
  batchLines: number;
  /** How often a partial batch is sent. */
  flushIntervalMs: number;
}

export const DEFAULT_SHIPPER_OPTIONS: LogShipperOptions = { maxBufferedLines: 10_000, batchLines: 500, flushIntervalMs: 1_000 };

export interface LogShipperStatus {
  ok: boolean;
  buffered: number;
  written: number;
  dropped: number;
  /** Why the last batch failed, until one succeeds again. */
  error?: string;
}

/** What the service holds to ship log lines: this shipper, or the worker thread that runs one (src/logs/log-store-thread.ts). */
export interface LogShipping {
  /** pino's destination interface: newline-terminated JSON lines. */
  write(chunk: string): boolean;
  start(): void;
  /** Sends what is buffered now and waits for it. */
  flush(): Promise<void>;
  stop(): Promise<void>;
  status(): LogShipperStatus;
}

export class LogShipper implements LogShipping {
  private buffer: LogLine[] = [];
  private written = 0;
  private dropped = 0;
  private lastError: string | undefined;
  private sending: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly options: LogShipperOptions;

  constructor(
    private readonly store: LogStore,
    options: Partial<LogShipperOptions> = {},
  ) {
    this.options = { ...DEFAULT_SHIPPER_OPTIONS, ...options };
  }

  /** pino's destination interface: one or more newline-terminated JSON lines. */
  write(chunk: string): boolean {
    for (const text of chunk.split("\n")) {
      if (text.length === 0) continue;
      if (this.buffer.length >= this.options.maxBufferedLines) {
        this.dropped += 1;
        continue;
      }
      const line = parseLogLine(text);
      if (line) this.buffer.push(line);
    }
    if (this.buffer.length >= this.options.batchLines) this.send();
    return true;
  }

  start(): void {
    this.timer ??= setInterval(() => this.send(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Sends what is buffered now and waits for it; used at shutdown and by tests. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending;
    this.send();
    while (this.sending) await this.sending;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  status(): LogShipperStatus {
    return {
      ok: this.lastError === undefined,
      buffered: this.buffer.length,
      written: this.written,
      dropped: this.dropped,
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
    };
  }

  /** Starts sending the buffer unless a send is already under way (it will pick up what is left). */
  private send(): void {
    if (this.sending || this.buffer.length === 0) return;
    this.sending = this.sendAll().finally(() => {
      this.sending = undefined;
    });
  }

  private async sendAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.batchLines);
      try {
        await this.store.writeBatch(batch);
        this.written += batch.length;
        this.lastError = undefined;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.requeue(batch);
        // Try again on the next tick of the timer, not in a tight loop against a store that is down.
        return;
      }
    }
  }

  /** A failed batch goes back in front of newer lines as far as there is room; the rest is dropped and counted. */
  private requeue(batch: LogLine[]): void {
    const room = Math.max(0, this.options.maxBufferedLines - this.buffer.length);
    const kept = batch.slice(0, room);
    this.dropped += batch.length - kept.length;
    this.buffer = [...kept, ...this.buffer];
  }
}
