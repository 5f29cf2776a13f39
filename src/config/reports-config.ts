// The `reports` section of .github/iact.yml: the monthly DORA report issue
// (src/jobs/report-issues-job.ts). Off unless `enabled: true`.
import { z } from "zod";
import { CronSyntaxError, isTimeZone, parseCron } from "../lib/cron-time.js";

export const REPORT_LOCALES = ["en", "es"] as const;
export const DEFAULT_REPORT_LABEL = "dora-report";

export const reportsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** When the issue of the month before is due, read in `timezone` (cron, 5 fields). */
    schedule: z
      .string()
      .default("0 6 1 * *")
      .superRefine((schedule, ctx) => {
        try {
          parseCron(schedule);
        } catch (error) {
          if (!(error instanceof CronSyntaxError)) throw error;
          ctx.addIssue({ code: "custom", message: error.message });
        }
      }),
    /** IANA zone of the schedule and of the calendar month reported. */
    timezone: z.string().default("UTC").refine(isTimeZone, { message: "must be an IANA time zone such as UTC or America/Bogota" }),
    /** The first label also finds the report issues again (the hidden marker is checked too). */
    labels: z.array(z.string().min(1).max(50)).min(1, "needs at least one label: the report issues are found by the first").max(10).default([DEFAULT_REPORT_LABEL]),
    assignees: z.array(z.string().regex(/^[A-Za-z0-9-]{1,39}$/, "must be a GitHub login")).max(10).default([]),
    locale: z.enum(REPORT_LOCALES).default("en"),
    /** Environments in the per-environment table (lower-case names); empty: all of them. */
    environments: z.array(z.string().min(1).max(255).transform((name) => name.toLowerCase())).max(50).default([]),
  })
  .prefault({});

export type ReportsConfig = z.output<typeof reportsConfigSchema>;
