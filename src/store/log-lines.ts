// The log store in MySQL (table log_lines): the default when no Cassandra is
// configured. A batch is one multi-row INSERT; reads walk (logged_at, id)
// backwards; retention deletes in small batches so that no statement holds
// locks for long. Every value reaches MySQL as a bound parameter.
import type { LogLine, LogLineQuery, LogStore, StoredLogLine } from "../lib/log-lines.js";
import { Prisma } from "./prisma.js";
import type { PrismaClient } from "./prisma.js";

const DELETE_BATCH_ROWS = 1_000;

interface LogLineRow {
  id: bigint;
  logged_at: Date;
  level: number;
  logger: string | null;
  message: string;
  request_id: string | null;
  installation: bigint | number | null;
  repository: string | null;
  actor: string | null;
  line: string;
}

export class MysqlLogStore implements LogStore {
  constructor(private readonly prisma: PrismaClient) {}

  async writeBatch(lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    const rows = lines.map(
      (line) =>
        Prisma.sql`(${line.loggedAt}, ${line.level}, ${line.logger}, ${line.message}, ${line.requestId}, ${line.installation}, ${line.repository}, ${line.actor}, ${line.line})`,
    );
    await this.prisma.$executeRaw`INSERT INTO log_lines (logged_at, level, logger, message, request_id, installation, repository, actor, line) VALUES ${Prisma.join(rows)}`;
  }

  async read(query: LogLineQuery): Promise<StoredLogLine[]> {
    const conditions = [Prisma.sql`logged_at >= ${query.from}`, Prisma.sql`logged_at < ${query.to}`];
    if (query.minLevel !== undefined) conditions.push(Prisma.sql`level >= ${query.minLevel}`);
    if (query.requestId !== undefined) conditions.push(Prisma.sql`request_id = ${query.requestId}`);
    if (query.repository !== undefined) conditions.push(Prisma.sql`repository = ${query.repository}`);
    if (query.installation !== undefined) conditions.push(Prisma.sql`installation = ${query.installation}`);
    if (query.text !== undefined) conditions.push(Prisma.sql`message LIKE ${`%${escapeLike(query.text)}%`}`);
    if (query.after) {
      const id = BigInt(query.after.id);
      conditions.push(Prisma.sql`(logged_at < ${query.after.loggedAt} OR (logged_at = ${query.after.loggedAt} AND id < ${id}))`);
    }
    const rows = await this.prisma.$queryRaw<LogLineRow[]>`
      SELECT id, logged_at, level, logger, message, request_id, installation, repository, actor, line
      FROM log_lines WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY logged_at DESC, id DESC LIMIT ${query.limit}`;
    return rows.map((row) => ({
      id: row.id.toString(),
      loggedAt: row.logged_at,
      level: Number(row.level),
      logger: row.logger,
      message: row.message,
      requestId: row.request_id,
      installation: row.installation === null ? null : Number(row.installation),
      repository: row.repository,
      actor: row.actor,
      line: row.line,
    }));
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.prisma.$executeRaw`DELETE FROM log_lines WHERE logged_at < ${cutoff} ORDER BY logged_at LIMIT ${DELETE_BATCH_ROWS}`;
      deleted += count;
      if (count < DELETE_BATCH_ROWS) return deleted;
    }
  }
}

/** `text` matched literally by LIKE: its own % and _ (and the escape) are escaped. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
