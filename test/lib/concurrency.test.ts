// The shared semaphore: never more than `limit` tasks at once, every task
// runs, results and errors reach their own caller.
import { describe, expect, it } from "vitest";
import { limitConcurrency } from "../../src/lib/concurrency.js";

describe("limitConcurrency", () => {
  it("runs every task, at most `limit` at a time", async () => {
    const limit = limitConcurrency(3);
    let active = 0;
    let peak = 0;
    const task = async (value: number) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 1));
      active -= 1;
      return value * 2;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => limit(() => task(index))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index * 2));
    expect(peak).toBe(3);
  });

  it("frees the slot of a task that throws, and gives the error to its caller only", async () => {
    const limit = limitConcurrency(1);
    const failing = limit(() => Promise.reject(new Error("boom")));
    const next = limit(() => Promise.resolve("after"));
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
  });
});
