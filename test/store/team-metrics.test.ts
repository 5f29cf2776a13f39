// The team metric store: the SQL summary agrees with the pure core on many
// records, and an import is all or nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { computePlanMetrics, filterPlanRecords } from "../../src/dora/index.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { TEAM_DECISIONS, TEAM_PHASES, TeamMetrics } from "../../src/store/team-metrics.js";
import type { TeamMetricInput } from "../../src/store/team-metrics.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

/** Deterministic pseudo-random records (a linear congruential generator, so a failure replays). */
function generate(count: number, now: Date, seed = 7): TeamMetricInput[] {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: count }, (_, index) => ({
    cycle_id: `cycle-${index}`,
    feature_id: `FEAT-${Math.floor(next() * 20)}`,
    phase_name: TEAM_PHASES[Math.floor(next() * TEAM_PHASES.length)]!,
    decision: TEAM_DECISIONS[Math.floor(next() * TEAM_DECISIONS.length)]!,
    duration_seconds: Math.floor(next() * 10_000_000) / 100,
    metadata: { index },
    created_at: new Date(now.getTime() - Math.floor(next() * 90 * MS_PER_DAY)).toISOString(),
  }));
}

describe("TeamMetrics", () => {
  let prisma: PrismaClient;
  let store: TeamMetrics;

  beforeAll(() => {
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
    store = new TeamMetrics(prisma);
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });
  beforeEach(async () => {
    await truncateAllTables();
  });

  it("summarises in SQL exactly as computePlanMetrics does, for several periods", async () => {
    const now = new Date();
    expect(await store.importMany(generate(3_000, now))).toEqual({ inserted: 3_000, skipped: [], skippedByCollation: 0 });
    const records = await store.list();
    for (const days of [1, 7, 30, 60, 3650]) {
      const { records: _count, ...summary } = await store.summary(now, days);
      expect(summary, `days=${days}`).toEqual(computePlanMetrics(filterPlanRecords(records, now, days)));
    }
  });

  it("imports idempotently: the second import of the same records inserts nothing", async () => {
    const records = generate(1_500, new Date());
    await store.importMany(records);
    const again = await store.importMany(records);
    expect(again.inserted).toBe(0);
    expect(again.skipped).toHaveLength(1_500);
    expect(await prisma.teamMetric.count()).toBe(1_500);
  });

  it("writes nothing when an insert fails half-way through (one transaction)", async () => {
    const records = generate(2_500, new Date());
    // Past the first two chunks of 1,000: a date the database cannot store.
    records[2_400] = { ...records[2_400]!, created_at: "not-a-date" };
    await expect(store.importMany(records)).rejects.toThrow();
    expect(await prisma.teamMetric.count()).toBe(0);
  });
});
