// The durable webhook inbox in MySQL: one row per delivery, written before
// GitHub gets its answer, drained by workers on any number of replicas.
// Writes are group-committed (src/lib/group-commit.ts): the deliveries that
// arrive while a write is in flight go into the next multi-row INSERT, one
// commit for all of them, and each caller still learns its own outcome only
// after that commit. Outcomes of processed deliveries are batched the same way.
import { GroupCommit, settle } from "../lib/group-commit.js";
import type { Settled } from "../lib/group-commit.js";
import type { PrismaClient } from "../store/prisma.js";
import { isUniqueViolation, Prisma, retryingWriteConflicts } from "../store/prisma.js";
import type { DeliveryFields } from "./delivery-fields.js";

/** Tries of one insert when InnoDB picks it as a deadlock victim. */
const STORE_ATTEMPTS = 3;
/**
 * Most deliveries in one INSERT, and most payload bytes. A larger payload
 * goes alone; one of GitHub's 25 MB needs max_allowed_packet above that
 * (src/store/server-settings.ts checks it at start).
 */
const BATCH_ROWS = 128;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Most payload bytes one claim reads (a claim always takes at least one delivery, whatever its size). */
export const CLAIM_MAX_BYTES = 32 * 1024 * 1024;

/** A delivery as the columns it is stored in. */
interface DeliveryRow {
  deliveryId: string;
  event: string;
  action: string | null;
  installationId: bigint | null;
  repository: string | null;
  body: Uint8Array;
}

interface Outcome {
  id: bigint;
  workerId: string;
}

/**
 * pending -> processing -> done | failed (after the last retry) | rejected:
 * a payload that failed validation. Rejected is final at once: the same
 * payload would be refused by every attempt.
 */
export type DeliveryStatus = "pending" | "processing" | "done" | "failed" | "rejected";

export interface IncomingDelivery {
  deliveryId: string;
  event: string;
  /** The body exactly as GitHub signed it: stored as these bytes, read by the worker. */
  body: Uint8Array;
  /** The indexed columns, read defensively from the body (./delivery-fields.ts). */
  fields: Omit<DeliveryFields, "notes">;
}

export interface ClaimedDelivery {
  id: bigint;
  deliveryId: string;
  event: string;
  action: string | null;
  installationId: bigint | null;
  repository: string | null;
  /** The stored body, not yet parsed: the worker judges it, per delivery. */
  body: Uint8Array;
  attempts: number;
}

/** A row as the claim's raw SELECT returns it. */
interface ClaimRow {
  id: bigint;
  delivery_id: string;
  event: string;
  action: string | null;
  installation_id: bigint | null;
  repository: string | null;
  payload: Uint8Array;
  attempts: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before attempt n+1 (n = attempts made so far), in ms. */
  backoffMs(attempts: number): number;
}

/** 2 s, 4 s, 8 s... capped at one hour, with up to 20 % jitter so replicas spread out. */
export function exponentialBackoff(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (1 + 0.2 * random()));
}

export class InboxStore {
  private readonly intake = new GroupCommit<DeliveryRow, boolean>({
    flush: (rows) => this.insertBatch(rows),
    maxItems: BATCH_ROWS,
    maxBytes: BATCH_BYTES,
    sizeOf: (row) => row.body.byteLength,
  });
  private readonly completions = new GroupCommit<Outcome, void>({
    flush: (outcomes) => this.markDoneBatch(outcomes),
    maxItems: BATCH_ROWS,
  });

  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores a verified delivery. Returns false when the delivery id is already
   * stored: a redelivery, acknowledged but never processed twice. Resolves
   * only once the row is committed, in one transaction with the deliveries
   * that arrived beside it.
   */
  store(delivery: IncomingDelivery): Promise<boolean> {
    return this.intake.submit(toRow(delivery));
  }

  /** Flushes and rows written so far (benchmarks and tests read them). */
  intakeCounters() {
    return this.intake.counters();
  }

  /**
   * One batch: repeats of an id inside the batch answer duplicate (the first
   * copy is written); the rows go in one multi-row INSERT, a single statement
   * and so a single commit. If an id was already stored, that statement
   * inserts nothing: the stored ids are looked up, answer duplicate, and the
   * rest are inserted again together. Any other failure (a bad row, a
   * deadlock) and every row is tried on its own, so one row cannot fail its
   * neighbours.
   */
  private async insertBatch(rows: DeliveryRow[]): Promise<Array<Settled<boolean>>> {
    const first = new Map<string, number>();
    rows.forEach((row, index) => {
      if (!first.has(row.deliveryId)) first.set(row.deliveryId, index);
    });
    const unique = [...first.values()].map((index) => rows[index]!);
    let outcomes: Map<string, Settled<boolean>> | undefined;
    if (unique.length > 1) outcomes = await this.insertTogether(unique).catch(() => undefined);
    if (!outcomes) {
      // One at a time, in arrival order: ids keep the order the deliveries
      // came in, which the worker processes them by (a rare path: a batch
      // with a bad row, or a deadlock).
      outcomes = new Map();
      for (const row of unique) outcomes.set(row.deliveryId, await settle(this.insertOne(row)));
    }
    return rows.map((row, index) => {
      const outcome = outcomes.get(row.deliveryId)!;
      // A repeat inside the batch: stored once, by its first copy.
      return first.get(row.deliveryId) === index || !outcome.ok ? outcome : { ok: true, value: false };
    });
  }

  private async insertTogether(rows: DeliveryRow[]): Promise<Map<string, Settled<boolean>>> {
    try {
      await this.prisma.$executeRaw(insertStatement(rows));
      return new Map(rows.map((row) => [row.deliveryId, { ok: true, value: true }]));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // A redelivery in the batch (the statement inserted nothing): leave out the ids already stored.
    const existing = await this.prisma.$queryRaw<Array<{ delivery_id: string }>>`
      SELECT delivery_id FROM webhook_deliveries WHERE delivery_id IN (${Prisma.join(rows.map((row) => row.deliveryId))})`;
    const stored = new Set(existing.map((row) => row.delivery_id));
    const fresh = rows.filter((row) => !stored.has(row.deliveryId));
    if (fresh.length > 0) await this.prisma.$executeRaw(insertStatement(fresh));
    return new Map(rows.map((row) => [row.deliveryId, { ok: true, value: !stored.has(row.deliveryId) }]));
  }

  /** One row on its own. */
  private async insertOne(row: DeliveryRow): Promise<boolean> {
    try {
      // InnoDB may pick this insert as a deadlock victim against a claim.
      await retryingWriteConflicts(() => this.prisma.$executeRaw(insertStatement([row])), STORE_ATTEMPTS);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * Claims up to `limit` deliveries that are due, including those whose
   * worker died mid-processing (lease expired). SKIP LOCKED lets replicas
   * claim side by side without waiting on, or taking, each other's rows.
   */
  async claim(workerId: string, limit: number, leaseSeconds: number, maxBytes = CLAIM_MAX_BYTES): Promise<ClaimedDelivery[]> {
    // READ COMMITTED: the locking read takes no gap locks, so it does not
    // deadlock with the intake's inserts (seen under REPEATABLE READ).
    // Three statements: the locking read sizes the due rows, one UPDATE
    // marks those that fit `maxBytes` (always at least one), one SELECT reads
    // their payloads. A worker claiming a hundred deliveries never holds a
    // hundred 25 MB payloads at once; the rows left out are unlocked at commit.
    return this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<Array<{ id: bigint; bytes: bigint | number }>>`
        SELECT id, LENGTH(payload) AS bytes FROM webhook_deliveries
        WHERE (status = 'pending' AND next_attempt_at <= CURRENT_TIMESTAMP(3))
           OR (status = 'processing' AND locked_at < CURRENT_TIMESTAMP(3) - INTERVAL ${leaseSeconds} SECOND)
        ORDER BY id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      const ids: bigint[] = [];
      let bytes = 0;
      for (const row of due) {
        bytes += Number(row.bytes);
        if (ids.length > 0 && bytes > maxBytes) break;
        ids.push(BigInt(row.id));
      }
      if (ids.length === 0) return [];
      await tx.$executeRaw`
        UPDATE webhook_deliveries SET status = 'processing', locked_by = ${workerId}, locked_at = ${new Date()}, attempts = attempts + 1
        WHERE id IN (${Prisma.join(ids)})`;
      const rows = await tx.$queryRaw<ClaimRow[]>`
        SELECT id, delivery_id, event, action, installation_id, repository, payload, attempts FROM webhook_deliveries
        WHERE id IN (${Prisma.join(ids)}) ORDER BY id`;
      return rows.map((row) => ({
        id: BigInt(row.id),
        deliveryId: row.delivery_id,
        event: row.event,
        action: row.action,
        installationId: row.installation_id === null ? null : BigInt(row.installation_id),
        repository: row.repository,
        body: row.payload,
        // Read after the UPDATE: the attempt being made.
        attempts: Number(row.attempts),
      }));
    }, { isolationLevel: "ReadCommitted" });
  }

  /** Records a processed delivery; the ones that finish together share one UPDATE. */
  markDone(id: bigint, workerId: string): Promise<void> {
    return this.completions.submit({ id, workerId });
  }

  private async markDoneBatch(outcomes: Outcome[]): Promise<Array<Settled<void>>> {
    const byWorker = new Map<string, bigint[]>();
    for (const outcome of outcomes) byWorker.set(outcome.workerId, [...(byWorker.get(outcome.workerId) ?? []), outcome.id]);
    const now = new Date();
    const settled = new Map<string, Settled<void>>();
    for (const [workerId, ids] of byWorker) {
      // Only rows this worker still holds: a lease taken over by another worker is theirs to record.
      const result = await settle(this.prisma.$executeRaw`
        UPDATE webhook_deliveries SET status = 'done', processed_at = ${now}, locked_by = NULL, locked_at = NULL, last_error = NULL
        WHERE id IN (${Prisma.join(ids)}) AND locked_by = ${workerId} AND status = 'processing'`);
      settled.set(workerId, result.ok ? { ok: true, value: undefined } : result);
    }
    return outcomes.map((outcome) => settled.get(outcome.workerId)!);
  }

  /** Schedules another attempt, or gives up (status failed) after the last one. */
  async markFailed(
    delivery: Pick<ClaimedDelivery, "id" | "attempts">,
    workerId: string,
    error: string,
    policy: RetryPolicy,
    /** A delay the failure itself asks for (GitHub's retry-after), honoured when longer than the backoff. */
    minDelayMs = 0,
  ): Promise<DeliveryStatus> {
    const exhausted = delivery.attempts >= policy.maxAttempts;
    const status: DeliveryStatus = exhausted ? "failed" : "pending";
    await this.prisma.webhookDelivery.updateMany({
      where: { id: delivery.id, lockedBy: workerId, status: "processing" },
      data: {
        status,
        lastError: error.slice(0, 60_000),
        lockedBy: null,
        lockedAt: null,
        nextAttemptAt: new Date(Date.now() + (exhausted ? 0 : Math.max(policy.backoffMs(delivery.attempts), minDelayMs))),
      },
    });
    return status;
  }

  /** Gives up on a delivery whose payload failed validation, with the reasons; never retried. */
  async markRejected(id: bigint, workerId: string, reasons: string): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, lockedBy: workerId, status: "processing" },
      data: { status: "rejected", lastError: reasons.slice(0, 60_000), processedAt: new Date(), lockedBy: null, lockedAt: null },
    });
  }

  /**
   * Puts failed deliveries back in the queue (operator action). Rejected ones
   * only when asked: the same code would refuse them again, so that is for
   * after an upgrade that accepts them.
   */
  async retryFailed(deliveryIds?: string[], options: { includeRejected?: boolean } = {}): Promise<number> {
    const statuses: DeliveryStatus[] = options.includeRejected ? ["failed", "rejected"] : ["failed"];
    const result = await this.prisma.webhookDelivery.updateMany({
      where: { status: { in: statuses }, ...(deliveryIds ? { deliveryId: { in: deliveryIds } } : {}) },
      data: { status: "pending", attempts: 0, nextAttemptAt: new Date() },
    });
    return result.count;
  }

  async counts(): Promise<Record<DeliveryStatus, number>> {
    const grouped = await this.prisma.webhookDelivery.groupBy({ by: ["status"], _count: { _all: true } });
    const counts: Record<DeliveryStatus, number> = { pending: 0, processing: 0, done: 0, failed: 0, rejected: 0 };
    for (const group of grouped) counts[group.status as DeliveryStatus] = group._count._all;
    return counts;
  }
}

function toRow(delivery: IncomingDelivery): DeliveryRow {
  const { action, installationId, repository } = delivery.fields;
  return { deliveryId: delivery.deliveryId, event: delivery.event, action, installationId, repository, body: delivery.body };
}

/** One INSERT for all the rows: a single statement, so a single commit. */
function insertStatement(rows: DeliveryRow[]): Prisma.Sql {
  const now = new Date();
  const values = rows.map(
    (row) => Prisma.sql`(${row.deliveryId}, ${row.event}, ${row.action}, ${row.installationId}, ${row.repository}, ${row.body}, ${now}, ${now})`,
  );
  return Prisma.sql`
    INSERT INTO webhook_deliveries (delivery_id, event, action, installation_id, repository, payload, received_at, next_attempt_at)
    VALUES ${Prisma.join(values)}`;
}
