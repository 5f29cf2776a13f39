// Shutdown lets a rollup refresh in progress finish before the database
// client is closed (bounded), so a stop does not cut a refresh half-way.
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultDoraConfig } from "../../src/config/dora-config.js";
import { doraOptions } from "../../src/config/dora-config.js";
import type { DoraInputQuery } from "../../src/store/dora-records.js";
import { loadDoraInput } from "../../src/store/dora-records.js";
import { readRefreshLease, readRollupState, refreshDoraRollupsExclusive } from "../../src/store/dora-rollups.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { createPrismaClient } from "../../src/store/prisma.js";
import type { RunningService } from "../../src/service.js";
import { TEST_DATABASE_URL, truncateAllTables } from "../support/database.js";
import { startTestService, waitFor } from "../support/service.js";
import { writeFixture } from "./dora-fixture.js";
import { MS_PER_DAY } from "../../src/dora/index.js";

const DAY = MS_PER_DAY;
/** How long the refresh's load takes once stop() is called: longer than stop's other steps. */
const SLOW_LOAD_MS = 1_000;

describe("service.stop() and a rollup refresh in progress", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("waits for the refresh to finish before disconnecting the database", async () => {
    await truncateAllTables();
    const service: RunningService = await startTestService();
    const { prisma } = service;
    const now = new Date();
    await writeFixture(prisma, now);

    const events: string[] = [];
    const disconnect = prisma.$disconnect.bind(prisma);
    vi.spyOn(prisma, "$disconnect").mockImplementation(async () => {
      events.push("disconnect");
      await disconnect();
    });
    let stopCalled!: () => void;
    const stopping = new Promise<void>((resolve) => {
      stopCalled = resolve;
    });
    const calls: DoraInputQuery[] = [];
    const from = new Date(now.getTime() - 20 * DAY);
    const refresh = refreshDoraRollupsExclusive(prisma, {
      from,
      to: now,
      doraOptions: doraOptions(defaultDoraConfig, from, now),
      holder: "shutdown-test",
      load: async (query) => {
        calls.push(query);
        // A slow repository: still loading well after stop() has done everything else.
        await stopping;
        await new Promise((resolve) => setTimeout(resolve, SLOW_LOAD_MS));
        return loadDoraInput(prisma, query);
      },
    }).then((result) => {
      events.push("refresh finished");
      return result;
    });
    await waitFor(() => calls.length > 0, 10_000, "the refresh loading");

    const stopped = service.stop();
    stopCalled();
    await stopped;

    expect(events).toEqual(["refresh finished", "disconnect"]);
    const result = await refresh;
    expect("refreshed" in result && result.refreshed.repos).toBe(2);
    // Completed: rollups readable and the lease released, from a fresh client.
    const reader = createPrismaClient(parseDatabaseUrl(TEST_DATABASE_URL));
    try {
      expect(await readRollupState(reader)).toMatchObject({ refreshedAt: now });
      expect(await readRefreshLease(reader)).toBeNull();
    } finally {
      await reader.$disconnect();
    }
  });
});
