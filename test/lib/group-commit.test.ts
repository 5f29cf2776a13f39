// The group-commit helper without a database: batches grow while a flush is
// in flight, respect their size caps, and each caller gets its own outcome.
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/lib/group-commit.js";

function recordingFlush() {
  const batches: string[][] = [];
  const flush = async (items: string[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return items.map((item) => (item.startsWith("bad") ? { ok: false as const, error: new Error(item) } : { ok: true as const, value: item.toUpperCase() }));
  };
  return { batches, flush };
}

describe("GroupCommit", () => {
  it("flushes a lone item at once, and collects what arrives meanwhile into the next flush", async () => {
    const { batches, flush } = recordingFlush();
    const group = new GroupCommit<string, string>({ flush, maxItems: 10 });
    const first = group.submit("a");
    await new Promise((resolve) => setImmediate(resolve));
    const rest = ["b", "c"].map((item) => group.submit(item));
    expect(await Promise.all([first, ...rest])).toEqual(["A", "B", "C"]);
    expect(batches).toEqual([["a"], ["b", "c"]]);
  });

  it("caps a batch by items and by size, and an oversized item goes alone", async () => {
    const { batches, flush } = recordingFlush();
    const group = new GroupCommit<string, string>({ flush, maxItems: 2, maxBytes: 4, sizeOf: (item) => item.length });
    await Promise.all(["a", "b", "c", "dddddd", "e", "ff", "gg"].map((item) => group.submit(item)));
    expect(batches).toEqual([["a", "b"], ["c"], ["dddddd"], ["e", "ff"], ["gg"]]);
  });

  it("rejects only the items the flush failed, and every item when the flush throws", async () => {
    const { flush } = recordingFlush();
    const group = new GroupCommit<string, string>({ flush, maxItems: 10 });
    const outcomes = await Promise.allSettled(["a", "bad-1", "c"].map((item) => group.submit(item)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const broken = new GroupCommit<string, string>({ flush: () => Promise.reject(new Error("down")), maxItems: 10 });
    const failed = await Promise.allSettled(["a", "b"].map((item) => broken.submit(item)));
    expect(failed.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
  });
});
