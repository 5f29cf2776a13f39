// `iact-bot rollups refresh`: the range it rebuilds (pure), then the command
// itself against the real database: it refreshes, prints what it did, and
// refuses while another refresh holds the lease.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { refreshStart } from "../../src/cli/rollups.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { readRollupState, releaseRefreshLease, takeRefreshLease } from "../../src/store/dora-rollups.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { cli } from "../support/cli.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { writeFixture } from "../http/dora-fixture.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

const DAY = MS_PER_DAY;
const NOW = new Date("2026-11-27T15:30:00Z");

describe("rollups refresh range", () => {
  it.each([
    ["--from: that UTC day", { from: "2026-11-01" }, { coveredFrom: "2025-10-23" }, "2026-11-01T00:00:00.000Z"],
    ["--days: the last N days", { days: "10" }, { coveredFrom: "2025-10-23" }, "2026-11-17T15:30:00.000Z"],
    ["default: the covered range", {}, { coveredFrom: "2025-10-23" }, "2025-10-23T00:00:00.000Z"],
    ["default without rollups: the first build's 400 days", {}, null, "2025-10-23T15:30:00.000Z"],
  ])("%s", (_label, options, state, expected) => {
    expect(refreshStart(options, state, NOW).toISOString()).toBe(expected);
  });

  it.each([
    [{ from: "2026-11-01", days: "3" }, "give --from or --days, not both"],
    [{ from: "2026-02-30" }, "--from must be a date YYYY-MM-DD"],
    [{ from: "yesterday" }, "--from must be a date YYYY-MM-DD"],
    [{ from: "2026-12-01" }, "is in the future"],
    [{ days: "0" }, "--days must be a positive whole number"],
    [{ days: "1.5" }, "--days must be a positive whole number"],
  ])("refuses %o", (options, message) => {
    expect(() => refreshStart(options, null, NOW)).toThrow(message);
  });
});

describe("iact-bot rollups refresh", () => {
  let prisma: PrismaClient;
  const now = new Date();

  beforeAll(() => {
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
  });
  beforeEach(async () => {
    await truncateAllTables();
    await writeFixture(prisma, now);
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  it("builds the rollups and prints what it did", async () => {
    const result = await cli("rollups", "refresh", "--days", "30");
    expect(result.stderr).toContain("dora rollups: acme/web");
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout) as { repos: number; rows: number; from: string; to: string };
    expect(outcome).toMatchObject({ repos: 2, from: `${new Date(now.getTime() - 30 * DAY).toISOString().slice(0, 10)}T00:00:00.000Z` });
    expect(outcome.rows).toBeGreaterThan(0);
    expect(await readRollupState(prisma)).toMatchObject({ coveredFrom: outcome.from.slice(0, 10), refreshedAt: new Date(outcome.to) });
  });

  it("refuses while another refresh holds the lease, saying who", async () => {
    expect(await takeRefreshLease(prisma, "replica-a:busy")).toBe(true);
    try {
      const result = await cli("rollups", "refresh");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/another rollup refresh is running \(replica-a:busy holds the lease until .*\); try again/);
      expect(await readRollupState(prisma)).toBeNull();
    } finally {
      await releaseRefreshLease(prisma, "replica-a:busy");
    }
  });
});
