// A process-wide cache of file texts keyed by git blob sha. A blob sha names
// its content, so an entry never goes stale: an unchanged file is fetched
// once per process whatever the commit, branch or repository. Bounded by
// bytes (UTF-16 length * 2 as an estimate), least recently used out first.
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export class BlobCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;
  readonly maxBytes: number;
  hits = 0;
  misses = 0;

  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get(blobSha: string): string | undefined {
    const text = this.entries.get(blobSha);
    if (text === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(blobSha);
    this.entries.set(blobSha, text);
    return text;
  }

  set(blobSha: string, text: string): void {
    const cost = text.length * 2;
    // One huge file must not flush everything else.
    if (cost > this.maxBytes / 4) return;
    const previous = this.entries.get(blobSha);
    if (previous !== undefined) {
      this.bytes -= previous.length * 2;
      this.entries.delete(blobSha);
    }
    this.entries.set(blobSha, text);
    this.bytes += cost;
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.bytes -= (this.entries.get(oldest.value) ?? "").length * 2;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
