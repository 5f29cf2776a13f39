// `iact-bot backup`, `restore` and `cleanup` as an operator runs them: real
// processes against the test database.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { cli, CLI_TEST_TIMEOUT_MS } from "../support/cli.js";
import { truncateAllTables, withConnection } from "../support/database.js";

describe("iact-bot backup, restore and cleanup", () => {
  beforeEach(async () => {
    await truncateAllTables();
  });

  it(
    "backs up into --dir, and refuses to restore into a database that is not empty, saying why (exit 1)",
    async () => {
      await withConnection((connection) =>
        connection.query("INSERT INTO dora_metrics (cycle_id, feature_id, phase_name, decision, duration_seconds, metadata) VALUES ('C-1', 'F-1', 'testing', 'go', 1.25, '{}')"),
      );
      const directory = await mkdtemp(path.join(os.tmpdir(), "iact-cli-backup-"));
      const backup = await cli("backup", "--dir", directory);
      expect(backup.code).toBe(0);
      const written = JSON.parse(backup.stdout) as { file: string; tables: Record<string, { rows: number }> };
      expect(path.dirname(written.file)).toBe(directory);
      expect(written.tables.dora_metrics!.rows).toBe(1);

      const restore = await cli("restore", written.file);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain("a restore goes into an empty database, and table dora_metrics has 1 rows");
      const missing = await cli("restore", path.join(directory, "none.jsonl.gz"));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("ENOENT");
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    "cleanup --dry-run counts the ended deliveries past the retention and deletes nothing; a bad --days is refused",
    async () => {
      await withConnection((connection) =>
        connection.query(
          "INSERT INTO webhook_deliveries (delivery_id, event, payload, status, processed_at) VALUES ('a', 'push', '{}', 'done', NOW(3) - INTERVAL 40 DAY), ('b', 'push', '{}', 'done', NOW(3))",
        ),
      );
      const dry = await cli("cleanup", "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^would delete 1 webhook deliveries that ended before .* \(30 days\)/);
      const real = await cli("cleanup", "--days", "30");
      expect(real.stdout).toMatch(/^deleted 1 webhook deliveries/);
      const bad = await cli("cleanup", "--days", "0");
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--days must be a whole number of days, 1 or more (got 0)");
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
