// The scheduled jobs of the service, built from its parts. The service starts
// them (src/service.ts); `iact-bot jobs list|run` and GET /api/jobs read the
// same table, so a job's name and schedule are the same everywhere.
// None is defined yet: the monthly report issue, maintenance, backup and
// webhook repair jobs of issue 8 are added here as they are built.
import type { Logger } from "pino";
import type { DoraMeasurer } from "../metrics/measure.js";
import type { PrismaClient } from "../store/prisma.js";
import type { JobDefinition } from "./scheduler.js";

export interface JobDependencies {
  prisma: PrismaClient;
  log: Logger;
  /** The service's one measurer: every figure a job publishes comes from it. */
  measurer: DoraMeasurer;
}

export function scheduledJobs(_dependencies: JobDependencies): JobDefinition[] {
  return [];
}
