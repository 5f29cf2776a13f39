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
