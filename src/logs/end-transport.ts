// Ending a pino transport's worker thread at shutdown: the rolling log file's
// and the Cassandra log store's. A thread that hangs must not hold the shutdown.
import type { DestinationStream } from "pino";

/** Ends the thread once it has written what it was given, or after `timeoutMs`. */
export function endTransport(stream: DestinationStream, timeoutMs: number): Promise<void> {
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
