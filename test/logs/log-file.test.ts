// Log lines in a rolling file (IACT_LOG_FILE): the service's own lines, after
// redaction, in files rolled at the size set and no more of them than the
// count set, written by pino-roll's worker thread and flushed at stop.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_WEBHOOK_SECRET } from "../support/github-app.js";
import { startTestService } from "../support/service.js";
import { truncateAllTables } from "../support/database.js";

describe("log file with rotation", () => {
  it("writes JSON lines, redacted, rolled at 1 KB, keeping the active file and 2 more", async () => {
    await truncateAllTables();
    const folder = await mkdtemp(path.join(os.tmpdir(), "iact-log-file-"));
    const service = await startTestService({ storeLogs: true, env: { IACT_LOG_FILE: path.join(folder, "iact-bot.log"), IACT_LOG_FILE_SIZE: "1k", IACT_LOG_FILE_COUNT: "2" } });
    try {
      // In bursts: pino-roll checks the size between the writes it is handed.
      for (let index = 0; index < 100; index++) {
        service.log.info({ index, secret_echo: TEST_WEBHOOK_SECRET }, `line ${index} ${"x".repeat(100)}`);
        if (index % 5 === 4) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await service.stop();
    }
    const files = (await readdir(folder)).sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.length).toBeLessThanOrEqual(3);
    const lines = (await Promise.all(files.map((file) => readFile(path.join(folder, file), "utf8")))).join("").split("\n").filter(Boolean);
    const parsed = lines.map((line) => JSON.parse(line) as { msg: string; level: string; secret_echo?: string });
    // The newest lines are kept; the oldest files were removed.
    expect(parsed.some((line) => line.msg.startsWith("line 99 "))).toBe(true);
    expect(parsed.some((line) => line.msg.startsWith("line 0 "))).toBe(false);
    expect(lines.join("\n")).not.toContain(TEST_WEBHOOK_SECRET);
    expect(parsed.filter((line) => line.msg.startsWith("line ")).every((line) => line.level === "info")).toBe(true);
  });
});
