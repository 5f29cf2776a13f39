// The one contract every log store keeps (MySQL's log_lines, Cassandra's
// table): write a batch, read a day newest first, filter, page without
// repeating or skipping, retention, redaction end to end through the logger,
// and a bounded buffer that drops and counts when the store cannot keep up.
// Each store's test file calls logStoreContract() with a fresh empty store.
import { Writable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import type { LogLine, LogLineQuery, LogStore, StoredLogLine } from "../../src/lib/log-lines.js";
import { LOG_LEVELS } from "../../src/lib/log-lines.js";
import { createLogger } from "../../src/logs/logger.js";
import { LogShipper } from "../../src/logs/log-shipper.js";

const DAY = Date.UTC(2026, 10, 20);

export function logLine(minute: number, overrides: Partial<LogLine> = {}): LogLine {
  const loggedAt = new Date(DAY + minute * 60_000);
  const message = overrides.message ?? `line ${minute}`;
  return {
    loggedAt,
    level: LOG_LEVELS.info,
    logger: "iact-bot",
    message,
    requestId: null,
    installation: null,
    repository: null,
    actor: null,
    line: JSON.stringify({ time: loggedAt.toISOString(), level: "info", msg: message }),
    ...overrides,
  };
}

function dayQuery(overrides: Partial<LogLineQuery> = {}): LogLineQuery {
  return { from: new Date(DAY), to: new Date(DAY + 86_400_000), limit: 1_000, ...overrides };
}

/** Every page of a query, `limit` lines at a time, continuing after the last line of each. */
export async function readAllPages(store: LogStore, query: LogLineQuery): Promise<StoredLogLine[]> {
  const lines: StoredLogLine[] = [];
  for (;;) {
    const last = lines.at(-1);
    const page = await store.read({ ...query, ...(last ? { after: { loggedAt: last.loggedAt, id: last.id } } : {}) });
    lines.push(...page);
    if (page.length < query.limit) return lines;
  }
}

export function logStoreContract(name: string, freshStore: () => Promise<LogStore>): void {
  describe(`${name} log store contract`, () => {
    let store: LogStore;
    beforeEach(async () => {
      store = await freshStore();
    });

    it("reads back a day's lines newest first with every field", async () => {
      const line = logLine(5, { level: LOG_LEVELS.error, requestId: "d-1", installation: 42, repository: "acme/api", actor: "token:ci", logger: "probot" });
      await store.writeBatch([logLine(1), line, logLine(3)]);
      await store.writeBatch([logLine(24 * 60 + 1)]);
      const lines = await store.read(dayQuery());
      expect(lines.map((stored) => stored.message)).toEqual(["line 5", "line 3", "line 1"]);
      const { id, ...fields } = lines[0]!;
      expect(id).toEqual(expect.any(String));
      expect(fields).toEqual(line);
    });

    it.each<[string, Partial<LogLineQuery>, string[]]>([
      ["at least a level", { minLevel: LOG_LEVELS.warn }, ["line 4", "line 2"]],
      ["a request id", { requestId: "d-7" }, ["line 3"]],
      ["a repository", { repository: "acme/web" }, ["line 4", "line 1"]],
      ["an installation", { installation: 9 }, ["line 2"]],
      ["a substring of the message", { text: "50%" }, ["line 50% done"]],
    ])("filters by %s", async (_what, filter, expected) => {
      await store.writeBatch([
        logLine(1, { repository: "acme/web" }),
        logLine(2, { level: LOG_LEVELS.error, installation: 9 }),
        logLine(3, { requestId: "d-7" }),
        logLine(4, { level: LOG_LEVELS.warn, repository: "acme/web" }),
        logLine(5, { message: "line 50% done" }),
        logLine(6, { message: "line 50 percent" }),
      ]);
      expect((await store.read(dayQuery(filter))).map((line) => line.message)).toEqual(expected);
    });

    it("pages newest first without repeating or skipping, lines of the same millisecond included", async () => {
      const written = Array.from({ length: 23 }, (_, index) => logLine(Math.floor(index / 3), { message: `m${index}` }));
      await store.writeBatch(written);
      const read = await readAllPages(store, dayQuery({ limit: 4 }));
      expect(read).toHaveLength(written.length);
      expect(new Set(read.map((line) => line.message)).size).toBe(written.length);
      const times = read.map((line) => line.loggedAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it("pages a day of thousands of lines, filtered, in order and complete", async () => {
      const written = Array.from({ length: 6_000 }, (_, index) => logLine(index / 10, { message: `n${index}`, level: index % 3 === 0 ? LOG_LEVELS.warn : LOG_LEVELS.info }));
      for (let start = 0; start < written.length; start += 1_000) await store.writeBatch(written.slice(start, start + 1_000));
      const read = await readAllPages(store, dayQuery({ limit: 700, minLevel: LOG_LEVELS.warn }));
      const expected = written.filter((_, index) => index % 3 === 0).reverse();
      expect(read.map((line) => line.message)).toEqual(expected.map((line) => line.message));
    });

    it("deletes lines older than the retention cutoff and keeps the rest", async () => {
      await store.writeBatch([logLine(-91 * 24 * 60), logLine(-89 * 24 * 60), logLine(1)]);
      await store.deleteBefore(new Date(DAY - 90 * 86_400_000));
      const kept = await store.read({ from: new Date(DAY - 100 * 86_400_000), to: new Date(DAY + 86_400_000), limit: 10 });
      expect(kept.map((line) => line.message)).toEqual(["line 1", `line ${-89 * 24 * 60}`]);
    });

    it("stores what the logger wrote, with its secrets redacted", async () => {
      const shipper = new LogShipper(store);
      const secret = "s3cr3t-webhook-value";
      const log = createLogger({ level: "info", secrets: [secret], destination: shipper });
      log.info({ headers: { authorization: "Bearer abcdefghijklmnopqrstuvwxyz" }, repository: "acme/api" }, `signing with ${secret}`);
      log.error({ err: new Error(`failed with ${secret}`) }, "it broke");
      await shipper.flush();
      const lines = await store.read({ from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000), limit: 10 });
      // Both may share a millisecond, where the stores order by their own ids.
      expect(lines.map((line) => line.message).sort()).toEqual(["it broke", "signing with [Redacted]"]);
      expect(JSON.stringify(lines)).not.toContain(secret);
      expect(JSON.stringify(lines)).not.toContain("abcdefghijklmnop");
      expect(JSON.parse(lines.find((line) => line.message === "it broke")!.line)).toMatchObject({ err: { type: "Error", message: "failed with [Redacted]", stack: expect.stringContaining("Error: failed") } });
    });

    it("drops and counts the lines beyond its buffer while the store is not answering, and stores the rest once it does", async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slowStore: LogStore = { ...store, writeBatch: async (lines) => (await gate, store.writeBatch(lines)) };
      const shipper = new LogShipper(slowStore, { maxBufferedLines: 50, batchLines: 10 });
      const sink = new Writable({ write: (chunk: Buffer, _encoding, callback) => (shipper.write(chunk.toString()), callback()) });
      const log = createLogger({ level: "info", secrets: [], destination: sink });
      for (let index = 0; index < 200; index++) log.info(`burst ${index}`);
      await new Promise((resolve) => setImmediate(resolve));
      // The first batch is in flight (10 lines), 50 wait in the buffer: 140 dropped.
      expect(shipper.status()).toMatchObject({ buffered: 50, dropped: 140 });
      release();
      await shipper.flush();
      expect(shipper.status()).toMatchObject({ ok: true, buffered: 0, written: 60, dropped: 140 });
      const stored = await readAllPages(store, { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000), limit: 1_000 });
      expect(stored).toHaveLength(60);
    });
  });
}

