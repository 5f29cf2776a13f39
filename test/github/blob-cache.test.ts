// The blob-sha cache: hits and misses counted, bounded by bytes, least
// recently used out first, one huge file never flushing the rest.
import { describe, expect, it } from "vitest";
import { BlobCache } from "../../src/github/blob-cache.js";

describe("BlobCache", () => {
  it("counts hits and misses", () => {
    const cache = new BlobCache();
    cache.set("a", "alpha");
    expect(cache.get("a")).toBe("alpha");
    expect(cache.get("b")).toBeUndefined();
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
  });

  it("evicts the least recently used entry once over its byte budget", () => {
    const cache = new BlobCache({ maxBytes: 48 }); // four texts of six characters
    for (const key of ["a", "b", "c", "d"]) cache.set(key, key.repeat(6));
    cache.get("a"); // a is now the most recently used
    cache.set("e", "eeeeee");
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("aaaaaa");
    expect(cache.usedBytes).toBeLessThanOrEqual(cache.maxBytes);
  });

  it("does not store a text larger than a quarter of the budget, and replaces an entry set twice", () => {
    const cache = new BlobCache({ maxBytes: 40 });
    cache.set("small", "s");
    cache.set("huge", "h".repeat(6));
    expect(cache.get("huge")).toBeUndefined();
    cache.set("small", "ss");
    expect(cache.size).toBe(1);
    expect(cache.usedBytes).toBe(4);
    cache.clear();
    expect({ size: cache.size, usedBytes: cache.usedBytes }).toEqual({ size: 0, usedBytes: 0 });
  });
});
