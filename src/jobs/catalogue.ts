// The scheduled jobs of the service, built from its parts. The service starts
// them (src/service.ts); `iact-bot jobs list|run` and GET /api/jobs read the
// same table, so a job's name and schedule are the same everywhere.
// The monthly report issue job is not built yet.
import type { Logger } from "pino";
import type { DoraMeasurer } from "../metrics/measure.js";
import type { PrismaClient } from "../store/prisma.js";
import type { ReadinessProbe } from "../lib/probes.js";
import { healthSnapshotJob } from "./health-snapshot-job.js";
import { backupJob, inboxCleanupJob } from "./maintenance.js";
import type { MaintenanceSettings } from "./maintenance.js";
import type { JobDefinition } from "./scheduler.js";
import { webhookRepairJob } from "./webhook-repair-job.js";
import type { AppOctokitFactory } from "./webhook-repair-job.js";

export interface JobDependencies {
  prisma: PrismaClient;
  log: Logger;
  /** The service's one measurer: every figure a job publishes comes from it. */
  measurer: DoraMeasurer;
  maintenance: MaintenanceSettings;
  /** The app's own Octokit (JWT); absent when the app has no credentials (the jobs that need it fail saying so). */
  appOctokit?: AppOctokitFactory;
  /** Names this replica in what the jobs record. */
  instanceId: string;
  /** The service's /ready probes, recorded in the health snapshots. */
  readinessProbes?: Record<string, ReadinessProbe>;
}

export function scheduledJobs(dependencies: JobDependencies): JobDefinition[] {
  return [
    inboxCleanupJob(dependencies.prisma, dependencies.maintenance),
    backupJob(dependencies.prisma, dependencies.maintenance),
    webhookRepairJob(dependencies.prisma, dependencies.appOctokit),
    healthSnapshotJob({
      prisma: dependencies.prisma,
      instanceId: dependencies.instanceId,
      ...(dependencies.readinessProbes ? { readinessProbes: dependencies.readinessProbes } : {}),
      ...(dependencies.appOctokit ? { appOctokit: dependencies.appOctokit } : {}),
    }),
  ];
}
