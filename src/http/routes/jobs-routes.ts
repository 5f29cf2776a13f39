// GET /api/jobs (read): the scheduled jobs (src/jobs/scheduler.ts) with their
// schedule and time zone, last run (outcome, error, counts) and next run.
import { z } from "zod";
import type { JobStatus } from "../../jobs/scheduler.js";
import type { Route } from "../router.js";
import { errorResponse } from "./dora-metrics-routes.js";

export interface JobsRouteDependencies {
  /** The service's scheduler, or anything listing the same jobs. */
  jobs: { list(): Promise<JobStatus[]> };
}

const runSchema = z.object({
  scheduled_for: z.string().describe("The schedule's time this run is for (a manual run: when it was asked), ISO 8601 UTC"),
  trigger: z.enum(["schedule", "catch-up", "manual"]),
  status: z.enum(["running", "succeeded", "failed"]).describe("The outcome, or running"),
  holder: z.string().describe("The replica that ran it"),
  attempts: z.number().int().describe("Runs started for this time (more than 1: a holder died and another took over)"),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  counts: z.record(z.string(), z.number()).nullable(),
});

export const jobsResponseSchema = z.object({
  jobs: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      schedule: z.string().describe("cron expression"),
      timezone: z.string().describe("IANA time zone the schedule is read in"),
      last_run: runSchema.nullable(),
      next_run: z.string().nullable(),
    }),
  ),
});

export function jobsRoutes(dependencies: JobsRouteDependencies): Route[] {
  return [
    {
      method: "GET",
      path: "/api/jobs",
      scope: "read",
      summary: "The scheduled jobs: schedule, time zone, last run and its outcome, next run",
      openapi: {
        responses: {
          "200": { description: "The jobs", content: { "application/json": { schema: z.toJSONSchema(jobsResponseSchema, { io: "output" }) } } },
          "403": errorResponse('The token lacks the "read" scope'),
        },
      },
      handler: async () => {
        const jobs = await dependencies.jobs.list();
        const body: z.infer<typeof jobsResponseSchema> = { jobs: jobs.map(jobJson) };
        return { status: 200, body };
      },
    },
  ];
}

export function jobJson(job: JobStatus): z.infer<typeof jobsResponseSchema>["jobs"][number] {
  const run = job.lastRun;
  return {
    name: job.name,
    description: job.description,
    schedule: job.schedule,
    timezone: job.timezone,
    last_run: run
      ? {
          scheduled_for: run.scheduledFor.toISOString(),
          trigger: run.trigger,
          status: run.status,
          holder: run.holder,
          attempts: run.attempts,
          started_at: run.startedAt.toISOString(),
          finished_at: run.finishedAt?.toISOString() ?? null,
          error: run.error,
          counts: run.counts,
        }
      : null,
    next_run: job.nextRun?.toISOString() ?? null,
  };
}
