// The audit log in MySQL (table audit_log): every state-changing action,
// appended with its actor, target, time, request id and details, chained by
// SHA-256 (src/store/audit-chain.ts). Appends lock the one row of
// audit_chain_head, so appends from every replica form one chain; an append
// may share the transaction of the action it records, so that the action and
// its entry are written together or not at all.
import type { Prisma, PrismaClient } from "./prisma.js";
import { retryingWriteConflicts } from "./prisma.js";
import { contentHash, entryHash, GENESIS_HASH, verifyChain } from "./audit-chain.js";
import type { ChainBreak, ChainedEntry } from "./audit-chain.js";

/** What the application appends. */
export interface AuditRecord {
  /** "token:<name>", "github:<login>", "cli:<os user>", "job:<name>" */
  actor: string;
  /** e.g. "metric_record.created", "token.revoked", "backup.written" */
  action: string;
  /** What was acted on: "token:ci", "dora_metrics:C-1", "owner/repo@sha" */
  target: string;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export type AuditEntry = ChainedEntry;

/** Longest values the columns take; longer ones are cut rather than refused (the entry matters more). */
const LIMITS = { actor: 255, action: 64, target: 512, requestId: 128 } as const;

/** Tries of an append picked as a deadlock victim (only the very first appends into an empty chain can be). */
const APPEND_ATTEMPTS = 3;

/** Appends one entry in a transaction of its own. */
export async function appendAudit(prisma: PrismaClient, record: AuditRecord, at = new Date()): Promise<AuditEntry> {
  // The head row first, on its own (autocommit): inside the transaction, the
  // INSERT IGNORE's shared lock and the FOR UPDATE after it deadlock against
  // other appends whenever the row is missing (a table emptied by hand).
  await ensureChainHead(prisma);
  return retryingWriteConflicts(() => prisma.$transaction((tx) => appendAuditIn(tx, record, at)), APPEND_ATTEMPTS);
}

async function ensureChainHead(db: PrismaClient | Prisma.TransactionClient): Promise<void> {
  await db.$executeRaw`INSERT IGNORE INTO audit_chain_head (id, last_id, last_hash) VALUES (1, 0, ${GENESIS_HASH})`;
}

/** Appends one entry inside the transaction of the action it records. */
export async function appendAuditIn(db: Prisma.TransactionClient, record: AuditRecord, at = new Date()): Promise<AuditEntry> {
  const lockHead = () => db.$queryRaw<Array<{ last_hash: string }>>`SELECT last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
  let [head] = await lockHead();
  if (!head) {
    // The migration writes the head; a table emptied by hand has none.
    await ensureChainHead(db);
    [head] = await lockHead();
  }
  const content = {
    at: new Date(Math.floor(at.getTime())),
    actor: record.actor.slice(0, LIMITS.actor),
    action: record.action.slice(0, LIMITS.action),
    target: record.target.slice(0, LIMITS.target),
    requestId: record.requestId?.slice(0, LIMITS.requestId) ?? null,
    details: record.details ?? {},
  };
  const hashOfContent = contentHash(content);
  const previousHash = head!.last_hash;
  const hash = entryHash(previousHash, hashOfContent);
  const row = await db.auditEntry.create({
    data: { ...content, details: content.details as Prisma.InputJsonValue, contentHash: hashOfContent, previousHash, entryHash: hash },
  });
  await db.auditChainHead.update({ where: { id: 1 }, data: { lastId: row.id, lastHash: hash } });
  return row;
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  /** Entries with a smaller id than this (the cursor of the page before). */
  beforeId?: bigint;
  limit: number;
}

/** Newest first. */
export async function listAudit(prisma: PrismaClient, query: AuditQuery): Promise<AuditEntry[]> {
  const rows = await prisma.auditEntry.findMany({
    where: {
      ...(query.action ? { action: query.action } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.from || query.to ? { at: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
      ...(query.beforeId ? { id: { lt: query.beforeId } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit,
  });
  return rows;
}

export type AuditVerification = { ok: true; entries: number; lastHash: string } | { ok: false; entries: number; broken: ChainBreak };

/** Walks the whole chain in id order, a page at a time. */
export async function verifyAuditLog(prisma: PrismaClient, pageSize = 1_000): Promise<AuditVerification> {
  let previousHash = GENESIS_HASH;
  let afterId = 0n;
  let entries = 0;
  for (;;) {
    const page = await prisma.auditEntry.findMany({ where: { id: { gt: afterId } }, orderBy: { id: "asc" }, take: pageSize });
    if (page.length === 0) return { ok: true, entries, lastHash: previousHash };
    const result = verifyChain(page, previousHash);
    if ("broken" in result) return { ok: false, entries: entries + page.findIndex((entry) => entry.id === result.broken.id), broken: result.broken };
    entries += page.length;
    previousHash = result.lastHash;
    afterId = page.at(-1)!.id;
  }
}
