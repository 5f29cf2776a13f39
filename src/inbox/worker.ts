// Drains the inbox: claims due deliveries, reads each stored body
// (./stored-payload.ts), checks the payload against the schema of its event
// (src/github/payloads), hands it to the webhook handlers, records the
// outcome. With a `batch` step (the service's: DORA capture,
// src/github/delivery-pipeline.ts) it claims up to `batch.size` deliveries
// at once, runs that step for all of them together, and gives the handlers
// only the deliveries that still need them, `concurrency` at a time. A body that is not a JSON object, or a payload that fails the
// check, is rejected at once with its reason, never retried: no attempt could
// fix it. So is a handler failure no retry can fix (a value the database
// schema cannot take: src/store/unfixable-errors.ts). Any other handler
// error is retried with backoff and, after the last attempt, kept as failed
// with its error. A
// database that is down pauses the loop (visibly, in the logs and /ready);
// it never ends the process.
import type { Logger } from "pino";
import type { Settled } from "../lib/group-commit.js";
import { describeRejection, validatePayload } from "../github/payloads/validate-payload.js";
import { isRateLimitError, retryDelayMs } from "../github/rate-limit.js";
import { withDeliveryContext } from "../logs/delivery-context.js";
import { isUnfixableDataError } from "../store/unfixable-errors.js";
import type { ClaimedDelivery, InboxStore, RetryPolicy } from "./inbox-store.js";
import { parseStoredPayload } from "./stored-payload.js";

/** A claimed delivery whose payload was read and passed its event's schema. */
export interface ReadDelivery extends Omit<ClaimedDelivery, "body"> {
  payload: Record<string, unknown>;
}

export type DeliveryHandler = (delivery: ReadDelivery) => Promise<void>;

/** Work done for a whole claimed batch before any handler (src/github/delivery-pipeline.ts). */
export interface BatchStep {
  /** Most deliveries claimed at once. */
  size: number;
  /** One outcome per delivery, in order; a failed one is retried like a failed handler. */
  prepare(deliveries: readonly ReadDelivery[]): Promise<Array<Settled<void>>>;
  /** False: the batch step did everything; the delivery is done without its handlers. */
  needsHandlers(delivery: ReadDelivery): boolean;
}

export interface WorkerOptions {
  workerId: string;
  concurrency: number;
  pollIntervalMs: number;
  leaseSeconds: number;
  retry: RetryPolicy;
  /** Told of each payload refused by the check (for /metrics); handler outcomes are seen by the handler itself. */
  onRejected?: (event: string) => void;
  batch?: BatchStep;
  /** Told of each delivery the batch step finished or failed (handler outcomes are seen by the handler itself). */
  onBatchOutcome?: (event: string, outcome: "done" | "failed", seconds: number) => void;
}

export interface WorkerHealth {
  running: boolean;
  lastError?: string;
  lastPollAt?: Date;
  processed: number;
  failedAttempts: number;
  rejected: number;
}

const MAX_IDLE_BACKOFF_MS = 10_000;
/** Claimed batches processed at once (see startBatch). */
const BATCHES_IN_FLIGHT = 3;

export class InboxWorker {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** A wake() that arrived while the loop was not asleep: skip the next sleep. */
  private wakeRequested = false;
  /** The deliveries being processed now. */
  private readonly inHand = new Set<Promise<void>>();
  /** The loop sleeps until one of them finishes: too few slots are free to claim. */
  private waitingForSlot = false;
  /** Batches between their claim and the start of their last handler. */
  private readonly batches = new Set<Promise<void>>();
  /** Batch steps waiting for a handler slot, first come first served. */
  private readonly slotWaiters: Array<() => void> = [];
  private readonly health: WorkerHealth = { running: false, processed: 0, failedAttempts: 0, rejected: 0 };

  constructor(
    private readonly store: InboxStore,
    private readonly handle: DeliveryHandler,
    private readonly options: WorkerOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.health.running = true;
    this.loop = this.run();
  }

  /** Stops claiming, waits for the deliveries in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.health.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Called after a delivery is stored so it is picked up without waiting a poll interval. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  status(): WorkerHealth {
    return { ...this.health };
  }

  /** Claims and processes one batch; returns how many deliveries it handled. */
  async drainOnce(): Promise<number> {
    const step = this.options.batch;
    const batch = await this.store.claim(this.options.workerId, this.claimLimit(this.options.concurrency), this.options.leaseSeconds);
    this.health.lastPollAt = new Date();
    if (step) {
      await this.processBatch(batch, step);
      await Promise.all(this.inHand);
    } else {
      await Promise.all(batch.map((delivery) => this.process(delivery)));
    }
    return batch.length;
  }

  /**
   * Keeps up to `concurrency` deliveries in hand. It claims again once half
   * of them have finished (at least one): a claim is one round trip for
   * several deliveries, and the others never wait for the slowest of a batch
   * (a delivery waiting on GitHub) before the next ones start.
   */
  private async run(): Promise<void> {
    let idleDelay = this.options.pollIntervalMs;
    const refillAt = Math.max(1, Math.ceil(this.options.concurrency / 2));
    while (this.running) {
      const free = this.options.concurrency - this.inHand.size;
      if (free < refillAt) {
        await this.sleep(this.options.pollIntervalMs, { untilSlotFrees: true });
        continue;
      }
      try {
        const limit = this.claimLimit(free);
        const batch = await this.store.claim(this.options.workerId, limit, this.options.leaseSeconds);
        this.health.lastPollAt = new Date();
        if (this.health.lastError) this.log.info("inbox worker: database reachable again, resuming");
        this.health.lastError = undefined;
        idleDelay = this.options.pollIntervalMs;
        if (this.options.batch) await this.startBatch(batch, this.options.batch);
        else for (const delivery of batch) this.startProcessing(delivery);
        if (batch.length === limit) continue;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (this.health.lastError !== message) this.log.error({ err: error }, "inbox worker: cannot claim deliveries; retrying");
        this.health.lastError = message;
        idleDelay = Math.min(idleDelay * 2, MAX_IDLE_BACKOFF_MS);
      }
      // Nothing more is due now (or the database is away): wait for a new delivery or the poll.
      await this.sleep(idleDelay);
    }
    await Promise.all(this.batches);
    await Promise.all(this.inHand);
  }

  /**
   * Starts a claimed batch; returns once fewer than BATCHES_IN_FLIGHT are in
   * flight. Several at once: while one waits on GitHub or MySQL, the next is
   * read and captured, so neither this process nor the database sits idle
   * (measured: 2 -> 3 took the drain with 30 ms GitHub answers from about
   * 710 to 830-890 events/s; at most 3 x 32 MiB of payloads in memory).
   */
  private async startBatch(batch: readonly ClaimedDelivery[], step: BatchStep): Promise<void> {
    if (batch.length === 0) return;
    const work: Promise<void> = this.processBatch(batch, step)
      .catch((error: unknown) => this.log.error({ err: error }, "inbox worker: batch left unrecorded; its deliveries are retried after their lease"))
      .finally(() => this.batches.delete(work));
    this.batches.add(work);
    while (this.batches.size >= BATCHES_IN_FLIGHT) await Promise.race(this.batches);
  }

  private startProcessing(delivery: ClaimedDelivery): void {
    this.track(this.process(delivery), delivery);
  }

  /** How many deliveries to claim with `free` handler slots: a whole batch when there is a batch step. */
  private claimLimit(free: number): number {
    return this.options.batch ? Math.max(free, this.options.batch.size) : free;
  }

  /** Counts `processing` against the slots until it ends. */
  private track(work: Promise<void>, delivery: Pick<ClaimedDelivery, "deliveryId">): void {
    const processing: Promise<void> = work
      .catch((error: unknown) => this.unrecorded(error, delivery))
      .finally(() => {
        this.inHand.delete(processing);
        if (this.waitingForSlot) this.wakeUp?.();
        this.slotWaiters.shift()?.();
      });
    this.inHand.add(processing);
  }

  /**
   * A claimed batch: every payload read and checked, the batch step for all
   * of them at once, then each delivery done, retried, or handed to its
   * handlers as slots free (the next batch is claimed once all have started).
   */
  private async processBatch(batch: readonly ClaimedDelivery[], step: BatchStep): Promise<void> {
    const read = (await Promise.all(batch.map((delivery) => withDeliveryContext(fieldsOf(delivery), () => this.readPayload(delivery))))).filter(
      (delivery): delivery is ReadDelivery => delivery !== undefined,
    );
    if (read.length === 0) return;
    const started = performance.now();
    let outcomes: Array<Settled<void>>;
    try {
      outcomes = await step.prepare(read);
    } catch (error) {
      outcomes = read.map(() => ({ ok: false, error }));
    }
    const seconds = (performance.now() - started) / 1000;
    const recorded: Array<Promise<void>> = [];
    for (const [index, delivery] of read.entries()) {
      const outcome = outcomes[index] ?? { ok: false, error: new Error("the batch step gave no outcome for this delivery") };
      if (!outcome.ok) {
        this.options.onBatchOutcome?.(delivery.event, "failed", seconds);
        recorded.push(withDeliveryContext(fieldsOf(delivery), () => this.recordFailure(delivery, outcome.error)).catch((error: unknown) => this.unrecorded(error, delivery)));
      } else if (step.needsHandlers(delivery)) {
        while (this.inHand.size >= this.options.concurrency) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        this.track(withDeliveryContext(fieldsOf(delivery), () => this.runHandlers(delivery)), delivery);
      } else {
        this.options.onBatchOutcome?.(delivery.event, "done", seconds);
        recorded.push(this.recordDone(delivery).catch((error: unknown) => this.unrecorded(error, delivery)));
      }
    }
    // Done ones share one UPDATE (the store groups them).
    await Promise.all(recorded);
  }

  private unrecorded(error: unknown, delivery: Pick<ClaimedDelivery, "deliveryId">): void {
    this.log.error({ err: error, request_id: delivery.deliveryId }, "inbox worker: delivery left unrecorded; it is retried after its lease");
  }

  private async process(delivery: ClaimedDelivery): Promise<void> {
    await withDeliveryContext(fieldsOf(delivery), async () => {
      const read = await this.readPayload(delivery);
      if (read) await this.runHandlers(read);
    });
  }

  /** The delivery's payload, read and checked; undefined when it was rejected for good. */
  private async readPayload(delivery: ClaimedDelivery): Promise<ReadDelivery | undefined> {
    const stored = parseStoredPayload(delivery.body);
    if (!stored.ok) {
      await this.reject(delivery, stored.reason, "its body cannot be read as a payload");
      return undefined;
    }
    const validation = validatePayload(delivery.event, stored.payload);
    if (!validation.ok) {
      await this.reject(delivery, `payload rejected:\n${describeRejection(validation.issues)}`, "its payload lacks or mistypes fields the handlers read");
      return undefined;
    }
    const { body: _body, ...claimed } = delivery;
    return { ...claimed, payload: validation.payload };
  }

  private async runHandlers(delivery: ReadDelivery): Promise<void> {
    try {
      await this.handle(delivery);
    } catch (error) {
      await this.recordFailure(delivery, error);
      return;
    }
    await this.recordDone(delivery);
  }

  private async recordDone(delivery: ReadDelivery): Promise<void> {
    await this.store.markDone(delivery.id, this.options.workerId);
    this.health.processed += 1;
    this.log.debug({ attempts: delivery.attempts, request_id: delivery.deliveryId }, "delivery processed");
  }

  /** A failed attempt: rejected when no retry can fix it, else retried with backoff (or failed for good after the last). */
  private async recordFailure(delivery: ReadDelivery, error: unknown): Promise<void> {
    const message = describeError(error);
    if (isUnfixable(error)) {
      await this.reject(delivery, `cannot be handled, whatever the retry:\n${message}`, "a value in it does not fit the database schema");
      return;
    }
    this.health.failedAttempts += 1;
    try {
      const status = await this.store.markFailed(delivery, this.options.workerId, message, this.options.retry, requestedDelayMs(error));
      this.log.warn({ err: error, attempts: delivery.attempts, status }, status === "failed" ? "delivery failed for good" : "delivery failed; will retry");
    } catch (storeError) {
      // The lease expires and another worker (or this one) retries it.
      this.log.error({ err: storeError }, "cannot record a failed delivery; it will be retried after its lease");
    }
  }

  /** Rejected for good: `reasons` go to last_error, `why` to the log line. */
  private async reject(delivery: Pick<ClaimedDelivery, "id" | "event" | "attempts">, reasons: string, why: string): Promise<void> {
    this.health.rejected += 1;
    this.options.onRejected?.(delivery.event);
    try {
      await this.store.markRejected(delivery.id, this.options.workerId, reasons);
      this.log.warn({ attempts: delivery.attempts, reasons }, `delivery rejected: ${why}`);
    } catch (storeError) {
      // The lease expires and the delivery is checked, and rejected, again.
      this.log.error({ err: storeError }, "cannot record a rejected delivery; it will be checked again after its lease");
    }
  }

  private sleep(ms: number, options: { untilSlotFrees?: boolean } = {}): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    this.waitingForSlot = options.untilSlotFrees ?? false;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.wakeRequested = false;
        this.waitingForSlot = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}

function fieldsOf(delivery: Pick<ClaimedDelivery, "deliveryId" | "attempts" | "event" | "action" | "installationId" | "repository">) {
  return {
    request_id: delivery.deliveryId,
    attempt: delivery.attempts,
    event: delivery.action ? `${delivery.event}.${delivery.action}` : delivery.event,
    ...(delivery.installationId !== null ? { installation: Number(delivery.installationId) } : {}),
    ...(delivery.repository ? { repository: delivery.repository } : {}),
  };
}

/** True when every error inside (Probot aggregates its handlers' errors) is one no retry can fix. */
export function isUnfixable(error: unknown): boolean {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every((inner) => isUnfixable(inner));
  return isUnfixableDataError(error);
}

/** Probot reports handler errors as an AggregateError; keep every message. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((inner) => describeError(inner)).join("\n");
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * When a handler failed because GitHub rate-limited it, the delay GitHub
 * asked for (retry-after, or until x-ratelimit-reset): retrying sooner only
 * prolongs the limit, and GitHub may block an app that keeps trying.
 */
export function requestedDelayMs(error: unknown, now = Date.now()): number {
  const errors = error instanceof AggregateError ? error.errors : [error];
  let delay = 0;
  for (const inner of errors) {
    if (inner instanceof AggregateError) delay = Math.max(delay, requestedDelayMs(inner, now));
    else if (isRateLimitError(inner)) delay = Math.max(delay, retryDelayMs(inner, 0, now, 0));
  }
  return delay;
}
