// A backfill writes facts into days the rollups already hold; it marks them
// stale and the next refresh, however recent its own range, rebuilds from the
// mark, then clears it unless a backfill marked again meanwhile.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultDoraConfig } from "../../src/config/dora-config.js";
import { doraOptions } from "../../src/config/dora-config.js";
import type { DoraInputQuery } from "../../src/store/dora-records.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { markRollupsStale, readRollupState, refreshDoraRollups } from "../../src/store/dora-rollups.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { writeFixture } from "../http/dora-fixture.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

const DAY = MS_PER_DAY;
const day = (instant: Date) => instant.toISOString().slice(0, 10);

describe("rollups marked stale by a backfill", () => {
  let prisma: PrismaClient;
  const now = new Date();
  const refresh = (from: Date, load = (query: DoraInputQuery) => loadDoraInput(prisma, query)) =>
    refreshDoraRollups(prisma, { from, to: new Date(), doraOptions: doraOptions(defaultDoraConfig, from, now), load });

  beforeAll(() => {
    prisma = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
  });
  beforeEach(async () => {
    await truncateAllTables();
    await writeFixture(prisma, now);
    await refresh(new Date(now.getTime() - 40 * DAY));
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  it("rebuilds from the earliest mark, not before the covered range, and clears it", async () => {
    await markRollupsStale(prisma, new Date(now.getTime() - 12 * DAY));
    await markRollupsStale(prisma, new Date(now.getTime() - 20 * DAY));
    await markRollupsStale(prisma, new Date(now.getTime() - 15 * DAY));
    expect((await readRollupState(prisma))?.staleFrom).toBe(day(new Date(now.getTime() - 20 * DAY)));

    const outcome = await refresh(new Date(now.getTime() - 7 * DAY));
    expect(outcome.from.slice(0, 10)).toBe(day(new Date(now.getTime() - 20 * DAY)));
    expect(await readRollupState(prisma)).toMatchObject({ staleFrom: null, coveredFrom: day(new Date(now.getTime() - 40 * DAY)) });

    await markRollupsStale(prisma, new Date(now.getTime() - 90 * DAY));
    expect((await refresh(new Date(now.getTime() - 7 * DAY))).from.slice(0, 10)).toBe(day(new Date(now.getTime() - 40 * DAY)));
  });

  it("keeps a mark made while the refresh ran", async () => {
    await markRollupsStale(prisma, new Date(now.getTime() - 20 * DAY));
    let marked = false;
    await refresh(new Date(now.getTime() - 7 * DAY), async (query) => {
      if (!marked) {
        marked = true;
        // A backfill finishing during the refresh, after it read the state.
        await markRollupsStale(prisma, new Date(now.getTime() - 10 * DAY));
      }
      return loadDoraInput(prisma, query);
    });
    expect((await readRollupState(prisma))?.staleFrom).toBe(day(new Date(now.getTime() - 20 * DAY)));
  });
});
