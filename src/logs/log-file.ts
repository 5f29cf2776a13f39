// Log lines to a file, rolled by size (the plan: 100 MB x 10 files), through
// pino-roll: a pino transport, so the writing happens in a worker thread and
// a slow disk never holds the event loop. The file gets the same lines as
// stdout, after redaction.
import pino from "pino";
import type { DestinationStream } from "pino";

export interface LogFileSettings {
  /** e.g. /var/log/iact/iact-bot.log; numbered on rotation (iact-bot.1.log, ...). */
  file: string;
  /** pino-roll's size: 100m, 512k, 1g. */
  size: string;
  /** Rolled files kept besides the active one. */
  count: number;
}

export function rollingLogFile(settings: LogFileSettings): DestinationStream {
  return pino.transport({
    target: "pino-roll",
    options: { file: settings.file, size: settings.size, limit: { count: settings.count }, mkdir: true },
  }) as DestinationStream;
}

/** Ends the file's worker thread once it has written what it was given, or after `timeoutMs`. */
export function closeLogFile(stream: DestinationStream, timeoutMs: number): Promise<void> {
  const ending = stream as DestinationStream & { end(): void; once(event: "close", listener: () => void): void };
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    ending.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    ending.end();
  });
}
