// What a stored log line is, how a reader asks for lines, and what every log
// store (MySQL today; Cassandra when configured) promises. The stores and the
// shipper that feeds them live in different rooms, so the contract they share
// lives here, with the pure parsing of a pino JSON line into a stored line.

/** pino's level numbers, by the labels the logger writes. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevelName = keyof typeof LOG_LEVELS;
export const LOG_LEVEL_NAMES = Object.keys(LOG_LEVELS) as LogLevelName[];

export interface LogLine {
  loggedAt: Date;
  /** pino's number: 30 info, 50 error, ... */
  level: number;
  /** The module (pino's `name`) that wrote it. */
  logger: string | null;
  message: string;
  requestId: string | null;
  installation: number | null;
  repository: string | null;
  actor: string | null;
  /** The whole JSON line as written, secrets already redacted. */
  line: string;
}

/** A stored line, with its store's id (opaque to readers; the page cursor carries it). */
export interface StoredLogLine extends LogLine {
  id: string;
}

/** Where a page ends: the last line it returned. The next page starts strictly after it, going back in time. */
export interface LogPosition {
  loggedAt: Date;
  id: string;
}

export interface LogLineQuery {
  /** Lines logged in [from, to). */
  from: Date;
  to: Date;
  /** At least this level. */
  minLevel?: number;
  requestId?: string;
  repository?: string;
  installation?: number;
  /** A substring of the message. */
  text?: string;
  /** Continue after this line (newest first). */
  after?: LogPosition;
  limit: number;
}

export interface LogStore {
  /** Stores the lines; one round trip (or a few) for the whole batch. */
  writeBatch(lines: readonly LogLine[]): Promise<void>;
  /** Lines matching the query, newest first. */
  read(query: LogLineQuery): Promise<StoredLogLine[]>;
  /** Deletes lines logged before the cutoff (a store with a TTL may do nothing); the number deleted. */
  deleteBefore(cutoff: Date): Promise<number>;
}

/** The plan keeps logs 90 days. */
export const LOG_RETENTION_DAYS = 90;

const LIMITS = { logger: 255, requestId: 128, repository: 255, actor: 255 } as const;

/**
 * A pino JSON line as a stored line, or null when it is not one (a partial
 * write, a line from something else). Lines carry `time` as ISO text
 * (src/logs/logger.ts) or as epoch milliseconds (pino's default).
 */
export function parseLogLine(text: string): LogLine | null {
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return null;
  const record = fields as Record<string, unknown>;
  const loggedAt = new Date(typeof record.time === "number" || typeof record.time === "string" ? record.time : Number.NaN);
  if (Number.isNaN(loggedAt.getTime())) return null;
  const level = typeof record.level === "number" ? record.level : LOG_LEVELS[record.level as LogLevelName];
  if (level === undefined) return null;
  return {
    loggedAt,
    level,
    logger: boundedText(record.name, LIMITS.logger),
    message: typeof record.msg === "string" ? record.msg : "",
    requestId: boundedText(record.request_id, LIMITS.requestId),
    installation: typeof record.installation === "number" && Number.isSafeInteger(record.installation) ? record.installation : null,
    repository: boundedText(record.repository, LIMITS.repository),
    actor: boundedText(record.actor, LIMITS.actor),
    line: text.trimEnd(),
  };
}

function boundedText(value: unknown, limit: number): string | null {
  return typeof value === "string" && value.length > 0 ? value.slice(0, limit) : null;
}

/** The label of a level number (the nearest label at or below it). */
export function levelName(level: number): string {
  let name: string = "trace";
  for (const candidate of LOG_LEVEL_NAMES) if (LOG_LEVELS[candidate] <= level) name = candidate;
  return name;
}
