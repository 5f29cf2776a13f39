// The durable webhook inbox in MySQL: one row per delivery, written before
// GitHub gets its answer, drained by workers on any number of replicas.
import type { PrismaClient } from "../store/prisma.js";
import { isUniqueViolation, isWriteConflict } from "../store/prisma.js";

/** Tries of one insert when InnoDB picks it as a deadlock victim. */
const STORE_ATTEMPTS = 3;

/**
 * pending -> processing -> done | failed (after the last retry) | rejected:
 * a payload that failed validation. Rejected is final at once: the same
 * payload would be refused by every attempt.
 */
export type DeliveryStatus = "pending" | "processing" | "done" | "failed" | "rejected";

export interface IncomingDelivery {
  deliveryId: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface ClaimedDelivery {
  id: bigint;
  deliveryId: string;
  event: string;
  action: string | null;
  installationId: bigint | null;
  repository: string | null;
  payload: Record<string, unknown>;
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
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores a verified delivery. Returns false when the delivery id is already
   * stored: a redelivery, acknowledged but never processed twice.
   */
  async store(delivery: IncomingDelivery): Promise<boolean> {
    const payload = delivery.payload;
    const action = typeof payload.action === "string" ? payload.action.slice(0, 64) : null;
    const installation = payload.installation as { id?: unknown } | undefined;
    const repository = payload.repository as { full_name?: unknown } | undefined;
    const data = {
      deliveryId: delivery.deliveryId,
      event: delivery.event,
      action,
      installationId: typeof installation?.id === "number" ? BigInt(installation.id) : null,
      repository: typeof repository?.full_name === "string" ? repository.full_name : null,
      payload: payload as object,
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.prisma.webhookDelivery.create({ data });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        // InnoDB may pick this insert as a deadlock victim against a claim;
        // the insert did not happen, so trying again is safe.
        if (isWriteConflict(error) && attempt < STORE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /**
   * Claims up to `limit` deliveries that are due, including those whose
   * worker died mid-processing (lease expired). SKIP LOCKED lets replicas
   * claim side by side without waiting on, or taking, each other's rows.
   */
  async claim(workerId: string, limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    // READ COMMITTED: the locking read takes no gap locks, so it does not
    // deadlock with the intake's inserts (seen under REPEATABLE READ).
    return this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<Array<{ id: bigint }>>`
        SELECT id FROM webhook_deliveries
        WHERE (status = 'pending' AND next_attempt_at <= CURRENT_TIMESTAMP(3))
           OR (status = 'processing' AND locked_at < CURRENT_TIMESTAMP(3) - INTERVAL ${leaseSeconds} SECOND)
        ORDER BY id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (due.length === 0) return [];
      const ids = due.map((row) => BigInt(row.id));
      const now = new Date();
      await tx.webhookDelivery.updateMany({
        where: { id: { in: ids } },
        data: { status: "processing", lockedBy: workerId, lockedAt: now, attempts: { increment: 1 } },
      });
      const rows = await tx.webhookDelivery.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
      return rows.map((row) => ({
        id: row.id,
        deliveryId: row.deliveryId,
        event: row.event,
        action: row.action,
        installationId: row.installationId,
        repository: row.repository,
        payload: row.payload as Record<string, unknown>,
        attempts: row.attempts,
      }));
    }, { isolationLevel: "ReadCommitted" });
  }

  async markDone(id: bigint, workerId: string): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id, lockedBy: workerId, status: "processing" },
      data: { status: "done", processedAt: new Date(), lockedBy: null, lockedAt: null, lastError: null },
    });
  }

  /** Schedules another attempt, or gives up (status failed) after the last one. */
  async markFailed(
    delivery: ClaimedDelivery,
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
