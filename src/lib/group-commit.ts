// Group commit: callers hand in one item each and get its own result back,
// while the items that arrive together are written together. When nothing is
// being written the next item is flushed at once (after the current I/O
// callbacks, so items of the same tick share the flush): no timer, so a lone
// item waits microseconds, not a window. While a flush is in flight the
// newcomers collect and go in the next one, so batches grow with the load
// and each flush (one transaction, one fsync) serves everyone who waited.
// A leaf helper: it knows nothing of MySQL; the writer is handed in.

export interface GroupCommitOptions<T> {
  /** Writes a batch; returns one result per item, in order, or throws for the whole batch. */
  flush: (items: T[]) => Promise<Array<Settled<unknown>>>;
  /** Most items in one flush. */
  maxItems: number;
  /** Most summed `sizeOf` in one flush (an item larger than this goes alone). */
  maxBytes?: number;
  sizeOf?: (item: T) => number;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A promise's outcome as a value: flushes report each item's own. */
export function settle<R>(promise: Promise<R>): Promise<Settled<R>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

interface Waiting<T> {
  item: T;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  flushes: number;
  items: number;
  largestBatch: number;
}

export class GroupCommit<T, R> {
  private queue: Array<Waiting<T>> = [];
  /** One flush at a time: the next batch forms while it runs (two in flight measured no faster). */
  private flushing = false;
  private scheduled = false;
  private readonly stats: GroupCommitStats = { flushes: 0, items: 0, largestBatch: 0 };

  constructor(private readonly options: GroupCommitOptions<T>) {}

  /** Resolves with this item's result once the flush that wrote it is done. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  counters(): GroupCommitStats {
    return { ...this.stats };
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startFlush();
    });
  }

  private startFlush(): void {
    if (this.queue.length === 0 || this.flushing) return;
    const batch = this.take();
    this.flushing = true;
    this.stats.flushes += 1;
    this.stats.items += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    void this.run(batch).finally(() => {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    });
  }

  private take(): Array<Waiting<T>> {
    const { maxItems, maxBytes = Number.POSITIVE_INFINITY, sizeOf = () => 0 } = this.options;
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < maxItems) {
      const size = sizeOf(this.queue[count]!.item);
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async run(batch: Array<Waiting<T>>): Promise<void> {
    let results: Array<Settled<unknown>>;
    try {
      results = await this.options.flush(batch.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, index) => {
      const result = results[index];
      if (!result) waiting.reject(new Error("group commit: the flush returned no result for this item"));
      else if (result.ok) waiting.resolve(result.value);
      else waiting.reject(result.error);
    });
  }
}
