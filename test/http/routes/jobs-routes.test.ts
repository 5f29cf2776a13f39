// GET /api/jobs: on the real service (read scope, OpenAPI), and its answer for
// a scheduler with a job that has run, checked against the response schema.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pino from "pino";
import { jobsResponseSchema, jobsRoutes } from "../../../src/http/routes/jobs-routes.js";
import { Scheduler } from "../../../src/jobs/scheduler.js";
import type { RunningService } from "../../../src/service.js";
import { truncateAllTables } from "../../support/database.js";
import { startTestService } from "../../support/service.js";
import { call, tokenFor } from "../api-client.js";

describe("GET /api/jobs", () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service.stop();
  });
  beforeEach(async () => {
    await truncateAllTables();
  });

  it("needs a token with the read scope, lists the service's jobs and is in the OpenAPI document", async () => {
    expect((await call(service.url, "GET", "/api/jobs")).status).toBe(401);
    const answer = await call(service.url, "GET", "/api/jobs", { token: await tokenFor(service.prisma, "read") });
    expect(answer.status).toBe(200);
    expect(jobsResponseSchema.parse(answer.body).jobs.map((job) => job.name)).toEqual(service.scheduler.names);
    const openapi = (await call(service.url, "GET", "/api/openapi.json")).body as { paths: Record<string, unknown> };
    expect(openapi.paths["/api/jobs"]).toHaveProperty("get");
  });

  it("shows each job's schedule, time zone, last run with its outcome and counts, and next run", async () => {
    const scheduler = new Scheduler({
      prisma: service.prisma,
      log: pino({ level: "silent" }),
      instanceId: "replica-a",
      jobs: [
        { name: "report", description: "monthly report", schedule: "0 6 1 * *", timezone: "America/Bogota", run: async () => ({ issues: 2 }) },
        { name: "idle", description: "never ran", schedule: "*/5 * * * *", timezone: "UTC", run: async () => {} },
      ],
    });
    await scheduler.runNow("report", new Date("2026-11-20T10:00:00Z"));
    const [route] = jobsRoutes({ jobs: scheduler });
    const answer = await route!.handler({} as never);
    const { jobs } = jobsResponseSchema.parse(answer.body);
    expect(jobs[0]).toMatchObject({
      name: "report",
      schedule: "0 6 1 * *",
      timezone: "America/Bogota",
      last_run: { scheduled_for: "2026-11-20T10:00:00.000Z", trigger: "manual", status: "succeeded", attempts: 1, error: null, counts: { issues: 2 } },
    });
    expect(jobs[0]!.last_run!.holder).toMatch(/^replica-a:/);
    expect(new Date(jobs[0]!.next_run!).getUTCHours()).toBe(11);
    expect(jobs[1]).toMatchObject({ name: "idle", last_run: null });
  });
});
