// Rollup refreshes across replicas: one at a time through the lease on the
// state row; the others skip theirs; a dead refresher's lease lapses. Two
// Prisma clients stand for two replicas, on the real database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultDoraConfig } from "../../src/config/dora-config.js";
import { doraOptions } from "../../src/config/dora-config.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import type { DoraInputQuery } from "../../src/store/dora-records.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import {
  readRefreshLease,
  readRollupState,
  refreshDoraRollupsExclusive,
  rollupRefreshesSettled,
  takeRefreshLease,
} from "../../src/store/dora-rollups.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { waitFor } from "../support/service.js";
import { writeFixture } from "../http/dora-fixture.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

const DAY = MS_PER_DAY;

/** A loader that waits at its first call until released, recording every call. */
function gatedLoader(prisma: PrismaClient) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls: DoraInputQuery[] = [];
  return {
    calls,
    release,
    load: async (query: DoraInputQuery) => {
      calls.push(query);
      await gate;
      return loadDoraInput(prisma, query);
    },
  };
}

describe("rollup refresh lease", () => {
  let replicaA: PrismaClient;
  let replicaB: PrismaClient;
  const now = new Date();
  const from = new Date(now.getTime() - 20 * DAY);
  const refreshOptions = (holder: string, load: (query: DoraInputQuery) => Promise<Awaited<ReturnType<typeof loadDoraInput>>>) => ({
    from,
    to: now,
    doraOptions: doraOptions(defaultDoraConfig, from, now),
    load,
    holder,
  });

  beforeAll(() => {
    replicaA = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
    replicaB = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
  });
  beforeEach(async () => {
    await truncateAllTables();
    await writeFixture(replicaA, now);
  });
  afterAll(async () => {
    await replicaA.$disconnect();
    await replicaB.$disconnect();
  });

  it("runs one refresh at a time across replicas: the second skips while the first holds the lease", async () => {
    const first = gatedLoader(replicaA);
    const running = refreshDoraRollupsExclusive(replicaA, refreshOptions("replica-a:1", first.load));
    await waitFor(() => first.calls.length > 0, 10_000, "replica A loading");

    const second = gatedLoader(replicaB);
    second.release();
    const skipped = await refreshDoraRollupsExclusive(replicaB, refreshOptions("replica-b:1", second.load));
    expect(skipped).toEqual({ busy: { holder: "replica-a:1", until: expect.any(Date) } });
    expect(second.calls).toEqual([]);
    // The first build holds only the lease: no rollups to read yet.
    expect(await readRollupState(replicaB)).toBeNull();

    first.release();
    const done = await running;
    expect("refreshed" in done && done.refreshed.repos).toBe(2);
    expect(await readRefreshLease(replicaB)).toBeNull();
    expect(await readRollupState(replicaB)).toMatchObject({ refreshedAt: now });

    // Released: the other replica may refresh now.
    const again = await refreshDoraRollupsExclusive(replicaB, refreshOptions("replica-b:2", second.load));
    expect("refreshed" in again).toBe(true);
  });

  it("takes over the lease of a refresher that died once it lapses", async () => {
    expect(await takeRefreshLease(replicaA, "replica-a:crashed", 600)).toBe(true);
    const blocked = await refreshDoraRollupsExclusive(replicaB, refreshOptions("replica-b:1", (query) => loadDoraInput(replicaB, query)));
    expect(blocked).toMatchObject({ busy: { holder: "replica-a:crashed" } });

    await replicaA.$executeRaw`UPDATE dora_rollup_state SET refreshing_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND`;
    expect(await readRefreshLease(replicaB)).toBeNull();
    const taken = await refreshDoraRollupsExclusive(replicaB, refreshOptions("replica-b:2", (query) => loadDoraInput(replicaB, query)));
    expect("refreshed" in taken).toBe(true);
    expect(await readRollupState(replicaA)).toMatchObject({ refreshedAt: now });
  });

  it("skips a replica's background refresh while another replica's runs", async () => {
    const first = gatedLoader(replicaA);
    const second = gatedLoader(replicaB);
    second.release();
    const measurerA = new DoraMeasurer({ prisma: replicaA, load: first.load, instanceId: "replica-a" });
    const measurerB = new DoraMeasurer({ prisma: replicaB, load: second.load, instanceId: "replica-b" });

    measurerA.refreshInBackground(from, now);
    await waitFor(() => first.calls.length > 0, 10_000, "replica A loading");
    measurerB.refreshInBackground(from, now);
    await measurerB.idle();
    expect(second.calls).toEqual([]);
    expect((await readRefreshLease(replicaB))?.holder).toMatch(/^replica-a:/);

    first.release();
    await measurerA.idle();
    expect(await readRollupState(replicaB)).toMatchObject({ refreshedAt: now });
  });

  it("tells whoever disconnects the client when the refreshes on it have finished, within a bound", async () => {
    const gated = gatedLoader(replicaA);
    const running = refreshDoraRollupsExclusive(replicaA, refreshOptions("replica-a:1", gated.load));
    await waitFor(() => gated.calls.length > 0, 10_000, "loading");
    expect(await rollupRefreshesSettled(replicaA, 50)).toBe(false);
    expect(await rollupRefreshesSettled(replicaB, 50)).toBe(true);
    gated.release();
    expect(await rollupRefreshesSettled(replicaA, 10_000)).toBe(true);
    expect("refreshed" in (await running)).toBe(true);
  });
});
