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
      const jobs = (JSON.parse(listed.stdout) as { jobs: Array<{ name: string; schedule: string; timezone: string; last_run: unknown; next_run: unknown }> }).jobs;
      expect(jobs.map(({ name, schedule, timezone, last_run }) => ({ name, schedule, timezone, last_run }))).toEqual([
        { name: "cleanup", schedule: "0 */6 * * *", timezone: "UTC", last_run: null },
        { name: "backup", schedule: "0 2 * * *", timezone: "UTC", last_run: null },
        { name: "webhook-repair", schedule: "*/10 * * * *", timezone: "UTC", last_run: null },
        { name: "health-snapshot", schedule: "*/5 * * * *", timezone: "UTC", last_run: null },
        { name: "dora-report-issues", schedule: "0 * * * *", timezone: "UTC", last_run: null },
        { name: "log-retention", schedule: "30 3 * * *", timezone: "UTC", last_run: null },
      ]);
      expect(jobs.every((job) => typeof job.next_run === "string")).toBe(true);
      const run = await cli("jobs", "run", "no-such-job");
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no job "no-such-job"; jobs: cleanup, backup, webhook-repair, health-snapshot, dora-report-issues, log-retention');
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
