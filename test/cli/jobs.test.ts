// `iact-bot jobs list|run` as an operator runs it, against the test database.
import { beforeEach, describe, expect, it } from "vitest";
import { cli, CLI_TEST_TIMEOUT_MS } from "../support/cli.js";
import { truncateAllTables } from "../support/database.js";

describe("iact-bot jobs", () => {
  beforeEach(async () => {
    await truncateAllTables();
  });

  it(
    "lists the service's jobs (as GET /api/jobs with --json) and refuses to run an unknown job",
    async () => {
      const listed = await cli("jobs", "list", "--json");
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual({
        jobs: [expect.objectContaining({ name: "dora-report-issues", schedule: "0 * * * *", timezone: "UTC", last_run: null, next_run: expect.any(String) })],
      });
      const run = await cli("jobs", "run", "no-such-job");
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no job "no-such-job"; jobs: dora-report-issues');
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
