// `iact-bot rollups refresh [--from YYYY-MM-DD | --days N]`: rebuilds the
// daily DORA rollups by hand, e.g. after facts arrived more than the
// background refresh's 7 days late. Takes the same lease as the service's
// background refresh (one refresh across replicas and this command), so it
// refuses to run while another refresh holds it.
//
// 1. the range: --from's UTC day, or the last --days days, else the covered
//    range (400 days when no rollups exist, as the service's first build)
// 2. refresh under the lease, one line per repository on stderr
// 3. print the outcome as one JSON line on stdout.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Command } from "commander";
import { loadConfig } from "../config/env.js";
import { defaultDoraConfig } from "../config/dora-config.js";
import { doraOptions } from "../config/dora-config.js";
import { parseDatabaseUrl } from "../store/database-url.js";
import { loadDoraInput } from "../store/dora-records.js";
import { readRollupState, refreshDoraRollupsExclusive } from "../store/dora-rollups.js";
import type { RollupState } from "../store/dora-rollups.js";
import { createPrismaClient } from "../store/prisma.js";
import { MS_PER_DAY } from "../dora/index.js";

/** Days built when no rollups exist: the service's first build. */
export const INITIAL_ROLLUP_DAYS = 400;

export interface RollupsRefreshOptions {
  from?: string;
  days?: string;
}

/** Step 1: the first day rebuilt (UTC midnight); the refresh always runs up to now. */
export function refreshStart(options: RollupsRefreshOptions, state: Pick<RollupState, "coveredFrom"> | null, now: Date): Date {
  if (options.from !== undefined && options.days !== undefined) throw new Error("give --from or --days, not both: a refresh always runs up to now");
  if (options.from !== undefined) {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(options.from) ? new Date(`${options.from}T00:00:00Z`) : undefined;
    if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== options.from) throw new Error(`--from must be a date YYYY-MM-DD, not "${options.from}"`);
    if (day.getTime() > now.getTime()) throw new Error(`--from ${options.from} is in the future`);
    return day;
  }
  if (options.days !== undefined) {
    const days = Number(options.days);
    if (!Number.isInteger(days) || days <= 0) throw new Error(`--days must be a positive whole number of days, not "${options.days}"`);
    return new Date(now.getTime() - days * MS_PER_DAY);
  }
  return state ? new Date(`${state.coveredFrom}T00:00:00Z`) : new Date(now.getTime() - INITIAL_ROLLUP_DAYS * MS_PER_DAY);
}

export async function rollupsRefreshCommand(options: RollupsRefreshOptions): Promise<void> {
  const prisma = createPrismaClient(parseDatabaseUrl(loadConfig().env.DATABASE_URL));
  try {
    const now = new Date();
    const from = refreshStart(options, await readRollupState(prisma), now);
    // The API measures with the default DORA settings; rollups built with others would not be read.
    const result = await refreshDoraRollupsExclusive(prisma, {
      from,
      to: now,
      doraOptions: doraOptions(defaultDoraConfig, from, now),
      load: (query) => loadDoraInput(prisma, query),
      holder: `cli:${hostname()}:${process.pid}:${randomUUID()}`,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if ("busy" in result) {
      const who = result.busy ? `${result.busy.holder} holds the lease until ${result.busy.until.toISOString()}` : "it was released meanwhile";
      throw new Error(`another rollup refresh is running (${who}); try again when it has finished`);
    }
    console.log(JSON.stringify(result.refreshed));
  } finally {
    await prisma.$disconnect();
  }
}

export function rollupsCommands(program: Command): void {
  const rollups = program.command("rollups").description("the daily DORA rollups behind GET /api/dora/metrics");
  rollups
    .command("refresh")
    .description("rebuild the rollups (default: the covered range, 400 days when none exist) up to now")
    .option("--from <YYYY-MM-DD>", "first UTC day rebuilt")
    .option("--days <n>", "rebuild the last N days")
    .action(rollupsRefreshCommand);
}
