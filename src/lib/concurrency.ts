// A tiny semaphore: at most `limit` of the given tasks run at once. It lives
// in src/lib/, a leaf that imports nothing, so that both the pure check
// engines (src/checks/) and the GitHub adapters (src/github/) can share it
// without either importing the other.
export function limitConcurrency(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
