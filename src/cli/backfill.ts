// `iact-bot backfill --repo owner/name --days 90 [--installation <id>]`:
// the last N days of a repository over REST into the DORA tables, through the
// same writers as webhooks (src/github/backfill.ts). Safe to run again.
import { SingleBar } from "cli-progress";
import { Probot } from "probot";
import pino from "pino";
import { loadConfig } from "../config/env.js";
import { RepoConfigCache } from "../github/repo-config-cache.js";
import { defaultDoraConfig } from "../config/dora-config.js";
import { DEFAULT_BACKFILL_DAYS, runBackfillJob } from "../github/backfill.js";
import type { BackfillProgress } from "../github/backfill.js";
import { splitRepo } from "../github/deployment-changes.js";
import { DoraCapture } from "../github/dora-capture.js";
import { handleRateLimits } from "../github/rate-limit.js";
import { httpStatusOf } from "../lib/http-status.js";
import { parseDatabaseUrl } from "../store/database-url.js";
import { markRollupsStale } from "../store/dora-rollups.js";
import { createPrismaClient } from "../store/prisma.js";
import { MS_PER_DAY } from "../dora/index.js";

export interface BackfillCommandOptions {
  repo: string;
  days: string;
  installation?: string;
}

/** A bar on a terminal, plain progress lines elsewhere (CI logs, pipes). */
function progressReporter(stream: NodeJS.WriteStream) {
  if (stream.isTTY) {
    const bar = new SingleBar({ stream, format: "{bar} {value}/{total} {phase}", hideCursor: true }, undefined);
    let started = false;
    return {
      update(progress: BackfillProgress) {
        if (!started) {
          bar.start(progress.total, 0, { phase: progress.phase });
          started = true;
        }
        bar.setTotal(progress.total);
        bar.update(progress.done, { phase: progress.phase });
      },
      stop: () => bar.stop(),
    };
  }
  let lastPhase = "";
  let lastLine = 0;
  return {
    update(progress: BackfillProgress) {
      const now = Date.now();
      if (progress.phase === lastPhase && now - lastLine < 2_000 && progress.done !== progress.total) return;
      lastPhase = progress.phase;
      lastLine = now;
      stream.write(`backfill: ${progress.done}/${progress.total} ${progress.phase}\n`);
    },
    stop: () => {},
  };
}

export async function backfillCommand(options: BackfillCommandOptions): Promise<void> {
  const days = Number(options.days ?? DEFAULT_BACKFILL_DAYS);
  if (!Number.isInteger(days) || days <= 0) throw new Error(`--days must be a positive whole number of days, not ${options.days}`);
  const { owner, repo } = splitRepo(options.repo);
  const config = loadConfig();
  if (!config.github) throw new Error("backfill needs the GitHub App's APP_ID and PRIVATE_KEY (see .env.example)");
  const log = pino({ level: config.env.LOG_LEVEL === "info" ? "warn" : config.env.LOG_LEVEL }, pino.destination(2));
  const probot = new Probot({
    appId: config.github.appId,
    privateKey: config.github.privateKey,
    log,
    ...(config.githubBaseUrl ? { baseUrl: config.githubBaseUrl } : {}),
  });

  let installationId = options.installation === undefined ? undefined : Number(options.installation);
  if (installationId === undefined) {
    const appOctokit = handleRateLimits(await probot.auth(), { log });
    try {
      const { data } = await appOctokit.rest.apps.getRepoInstallation({ owner, repo });
      installationId = data.id;
    } catch (error) {
      if (httpStatusOf(error) === 404) throw new Error(`the app is not installed on ${owner}/${repo}: install it there first, or pass --installation <id>`, { cause: error });
      throw error;
    }
  }
  const octokit = handleRateLimits(await probot.auth(installationId), { log });
  const repoConfig = await new RepoConfigCache({ log }).get(octokit, owner, repo);
  if (!repoConfig.ok) process.stderr.write(`warning: ${repoConfig.file} of ${owner}/${repo} is invalid; backfilling with the default DORA settings\n`);
  const doraConfig = repoConfig.ok ? repoConfig.config.dora : defaultDoraConfig;

  const prisma = createPrismaClient(parseDatabaseUrl(config.env.DATABASE_URL));
  const progress = progressReporter(process.stderr);
  try {
    const outcome = await runBackfillJob(prisma, octokit, new DoraCapture(prisma, log), {
      repo: `${owner}/${repo}`,
      installationId,
      days,
      config: doraConfig,
      trigger: `cli:${new Date().toISOString()}`,
      onProgress: (step) => progress.update(step),
    });
    progress.stop();
    await markRollupsStale(prisma, new Date(Date.now() - days * MS_PER_DAY));
    console.log(JSON.stringify({ repo: `${owner}/${repo}`, installation: installationId, days, ...outcome.counts }));
  } finally {
    progress.stop();
    await prisma.$disconnect();
  }
}
