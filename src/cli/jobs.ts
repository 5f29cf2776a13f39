// `iact-bot jobs list` and `iact-bot jobs run <job>`: the scheduled jobs of
// the service (src/jobs/catalogue.ts) from the shell.
//   list: each job's schedule, time zone, last run (outcome, error, counts)
//         and next run, as GET /api/jobs gives them (--json: the same JSON);
//   run:  runs the job now through the same lease and record as a scheduled
//         run (trigger "manual"): refused while another run of it is going on
//         anywhere; exit 1 when it fails or is refused.
import type { Command } from "commander";
import pino from "pino";
import type { Logger } from "pino";
import { Probot } from "probot";
import { loadConfig } from "../config/env.js";
import type { AppConfig } from "../config/env.js";
import { RepoConfigCache } from "../github/repo-config-cache.js";
import { githubWebRoot } from "../github/repository-web-url.js";
import { jobJson } from "../http/routes/jobs-routes.js";
import { scheduledJobs } from "../jobs/catalogue.js";
import type { GitHubAccess } from "../jobs/catalogue.js";
import { maintenanceSettings } from "../jobs/maintenance.js";
import { Scheduler } from "../jobs/scheduler.js";
import { DoraMeasurer } from "../metrics/measure.js";
import { loadDoraInput } from "../store/dora-records.js";
import type { PrismaClient } from "../store/prisma.js";
import { withDatabase } from "./with-database.js";

function cliScheduler(prisma: PrismaClient): Scheduler {
  const config = loadConfig();
  const { env } = config;
  const log = pino({ level: env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL }, pino.destination(2));
  const measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log, instanceId: `cli:${env.IACT_INSTANCE_ID}` });
  const jobs = scheduledJobs({
    prisma,
    log,
    measurer,
    maintenance: maintenanceSettings(env),
    ...(config.github ? { github: githubAccess(config, log) } : {}),
    instanceId: `cli:${env.IACT_INSTANCE_ID}`,
  });
  return new Scheduler({ prisma, log, jobs, instanceId: `cli:${env.IACT_INSTANCE_ID}`, leaseSeconds: env.IACT_JOB_LEASE_SECONDS });
}

/** The app's GitHub access from its settings, as the service builds it. */
function githubAccess(config: AppConfig, log: Logger): GitHubAccess {
  const probot = new Probot({
    appId: config.github!.appId,
    privateKey: config.github!.privateKey,
    log,
    ...(config.githubBaseUrl ? { baseUrl: config.githubBaseUrl } : {}),
  });
  return {
    repoConfig: new RepoConfigCache({ log }),
    appOctokit: () => probot.auth(),
    octokitFor: (installationId) => probot.auth(installationId),
    githubWebUrl: githubWebRoot(config.githubBaseUrl ?? "https://api.github.com"),
    apiUrl: config.env.IACT_PUBLIC_URL ?? `http://localhost:${config.env.PORT}`,
  };
}

export async function jobsListCommand(options: { json?: boolean }): Promise<void> {
  await withDatabase(async (prisma) => {
    const jobs = (await cliScheduler(prisma).list()).map(jobJson);
    if (options.json) {
      console.log(JSON.stringify({ jobs }, null, 2));
      return;
    }
    if (jobs.length === 0) {
      console.log("no scheduled jobs");
      return;
    }
    for (const job of jobs) {
      const last = job.last_run ? `${job.last_run.status} (${job.last_run.trigger}, ${job.last_run.scheduled_for})${job.last_run.error ? `: ${job.last_run.error}` : ""}` : "never";
      console.log(`${job.name}\t${job.schedule} ${job.timezone}\tlast: ${last}\tnext: ${job.next_run ?? "-"}`);
    }
  });
}

export async function jobsRunCommand(name: string): Promise<void> {
  await withDatabase(async (prisma) => {
    const result = await cliScheduler(prisma).runNow(name);
    if (!result.ran) {
      const who = result.existing ? ` (${result.existing.holder}, ${result.existing.status})` : "";
      throw new Error(`job "${name}" not run: ${result.reason === "overlap" || result.reason === "busy" ? "another run of it is going on" : "this time is taken"}${who}`);
    }
    console.log(JSON.stringify({ job: name, outcome: result.outcome, ...(result.error ? { error: result.error } : {}), counts: result.counts ?? {} }));
    if (result.outcome === "failed") process.exitCode = 1;
  });
}

export function jobsCommands(program: Command): void {
  const jobs = program.command("jobs").description("the scheduled jobs (each run once across replicas)");
  jobs.command("list").description("each job's schedule, last run and its outcome, next run").option("--json", "the JSON of GET /api/jobs").action(jobsListCommand);
  jobs.command("run").description("run a job now, through its lease (refused while it runs elsewhere)").argument("<job>", "job name (see jobs list)").action(jobsRunCommand);
}
