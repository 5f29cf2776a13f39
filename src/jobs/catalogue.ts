// The scheduled jobs of the service, built from its parts. The service starts
// them (src/service.ts); `iact-bot jobs list|run` and GET /api/jobs read the
// same table, so a job's name and schedule are the same everywhere.
import type { Logger } from "pino";
import type { ReadinessProbe } from "../lib/probes.js";
import type { DoraMeasurer } from "../metrics/measure.js";
import type { PrismaClient } from "../store/prisma.js";
import type { LogStore } from "../lib/log-lines.js";
import { MysqlLogStore } from "../store/log-lines.js";
import { healthSnapshotJob } from "./health-snapshot-job.js";
import { logRetentionJob } from "./log-retention-job.js";
import { backupJob, cleanupJob } from "./maintenance.js";
import type { MaintenanceSettings } from "./maintenance.js";
import { reportIssuesJob } from "./report-issues-job.js";
import type { ReportIssuesJobDependencies } from "./report-issues-job.js";
import type { JobDefinition } from "./scheduler.js";
import { webhookRepairJob } from "./webhook-repair-job.js";

/** What the jobs that talk to GitHub need: the app's and its installations' Octokits, settings, link roots. */
export type GitHubAccess = Omit<ReportIssuesJobDependencies, "prisma" | "log" | "measurer">;

export interface JobDependencies {
  prisma: PrismaClient;
  log: Logger;
  /** The service's one measurer: every figure a job publishes comes from it. */
  measurer: DoraMeasurer;
  maintenance: MaintenanceSettings;
  /** Absent when the app has no credentials: the jobs that need GitHub are listed, and fail saying why. */
  github?: GitHubAccess;
  /** Names this replica in what the jobs record. */
  instanceId: string;
  /** The service's /ready probes, recorded in the health snapshots. */
  readinessProbes?: Record<string, ReadinessProbe>;
  /** The service's log store; MySQL's log_lines when not given. */
  logStore?: LogStore;
}

const NO_GITHUB = "the GitHub App's APP_ID and private key are not set (see .env.example)";

export function scheduledJobs(dependencies: JobDependencies): JobDefinition[] {
  const { prisma, log, measurer } = dependencies;
  const github: GitHubAccess = dependencies.github ?? {
    repoConfig: { get: () => Promise.reject(new Error(NO_GITHUB)) },
    appOctokit: () => Promise.reject(new Error(NO_GITHUB)),
    octokitFor: () => Promise.reject(new Error(NO_GITHUB)),
    githubWebUrl: "https://github.com",
    apiUrl: "http://localhost:3000",
  };
  return [
    cleanupJob(prisma, dependencies.maintenance),
    backupJob(prisma, dependencies.maintenance),
    webhookRepairJob(prisma, dependencies.github?.appOctokit),
    healthSnapshotJob({
      prisma,
      instanceId: dependencies.instanceId,
      ...(dependencies.readinessProbes ? { readinessProbes: dependencies.readinessProbes } : {}),
      ...(dependencies.github ? { appOctokit: dependencies.github.appOctokit } : {}),
    }),
    reportIssuesJob({ prisma, log, measurer, ...github }),
    logRetentionJob(dependencies.logStore ?? new MysqlLogStore(prisma)),
  ];
}
