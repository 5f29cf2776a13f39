// The `dora` section of .github/iact.yml: where deployments come from, what
// counts as production, what an incident is, and the team's targets.
// Patterns are written as strings in YAML ("/^prod/i" for a regular
// expression, anything else is an exact, case-insensitive name).
import { z } from "zod";
import { DEFAULT_HOTFIX_PATTERNS, DEFAULT_INCIDENT_WINDOW_HOURS, DEFAULT_TARGETS } from "../dora/index.js";
import type { BenchmarkYear, DoraOptions, HotfixPatterns, Targets } from "../dora/index.js";

/** "/source/flags" -> RegExp; "name" -> exact, case-insensitive match. */
export function toPattern(text: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/.exec(text);
  if (literal?.[1] !== undefined) return new RegExp(literal[1], literal[2]);
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i");
}

const patternText = z.string().min(1).superRefine((text, ctx) => {
  try {
    toPattern(text);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(error as Error).message}` });
  }
});

const workflowSource = z.strictObject({
  /** Workflow name (as in `name:`) or file path (.github/workflows/deploy.yml). */
  workflow: z.string().min(1),
  environment: z.string().min(1).default("production"),
  /** Only runs on these branches count (default: any). */
  branches: z.array(z.string().min(1)).optional(),
});

export const doraConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Environments measured together as "production". */
    production: z.array(patternText).min(1).default(["/^prod(uction)?$/i"]),
    deployments: z
      .strictObject({
        /** GitHub Deployments API (deployment + deployment_status events). */
        deployment_status: z.boolean().default(true),
        /** Completed successful workflow runs that deploy. */
        workflows: z.array(workflowSource).default([]),
        /** A published release counts as a deployment of its tag's commit to this environment. */
        releases: z.union([z.literal(false), z.strictObject({ environment: z.string().min(1).default("production") })]).default(false),
      })
      .prefault({}),
    incidents: z
      .strictObject({
        /** Issues carrying any of these labels (case-insensitive) are incidents. */
        labels: z.array(z.string().min(1)).min(1).default(["incident"]),
        /** An incident without a root-cause sha is attributed to the latest production deployment this many hours before it. */
        window_hours: z.number().positive().max(24 * 90).default(DEFAULT_INCIDENT_WINDOW_HOURS),
      })
      .prefault({}),
    hotfix: z
      .strictObject({
        labels: z.array(patternText).default(DEFAULT_HOTFIX_PATTERNS.labels.map(String)),
        branches: z.array(patternText).default(DEFAULT_HOTFIX_PATTERNS.branches.map(String)),
        titles: z.array(patternText).default(DEFAULT_HOTFIX_PATTERNS.titles.map(String)),
      })
      .prefault({}),
    targets: z
      .strictObject({
        deployments_per_week: z.number().nonnegative().default(DEFAULT_TARGETS.deploymentsPerWeek),
        lead_time_hours: z.number().positive().default(DEFAULT_TARGETS.leadTimeHours),
        change_failure_rate: z.number().min(0).max(1).default(DEFAULT_TARGETS.changeFailureRate),
        time_to_restore_hours: z.number().positive().default(DEFAULT_TARGETS.timeToRestoreHours),
      })
      .prefault({}),
    benchmark_year: z.union([z.literal(2023), z.literal(2021)]).default(2023),
  })
  .prefault({});

export type DoraConfig = z.output<typeof doraConfigSchema>;

export const defaultDoraConfig: DoraConfig = doraConfigSchema.parse(undefined);

/** The pure core's option types, from the YAML shape. */
export function productionPatterns(config: DoraConfig): RegExp[] {
  return config.production.map(toPattern);
}

export function hotfixPatterns(config: DoraConfig): HotfixPatterns {
  return {
    labels: config.hotfix.labels.map(toPattern),
    branches: config.hotfix.branches.map(toPattern),
    titles: config.hotfix.titles.map(toPattern),
  };
}

export function targetsOf(config: DoraConfig): Targets {
  return {
    deploymentsPerWeek: config.targets.deployments_per_week,
    leadTimeHours: config.targets.lead_time_hours,
    changeFailureRate: config.targets.change_failure_rate,
    timeToRestoreHours: config.targets.time_to_restore_hours,
  };
}

/** The pure core's options for the window [from, to), from the YAML shape. */
export function doraOptions(config: DoraConfig, from: Date, to: Date): DoraOptions {
  return {
    from,
    to,
    productionPatterns: productionPatterns(config),
    incidentWindowHours: config.incidents.window_hours,
    benchmarkYear: config.benchmark_year,
    targets: targetsOf(config),
    hotfixPatterns: hotfixPatterns(config),
  };
}

/** The settings with the classification year one answer asks for (`benchmark=`). */
export function withBenchmark(config: DoraConfig, benchmark: BenchmarkYear | undefined): DoraConfig {
  return benchmark === undefined ? config : { ...config, benchmark_year: benchmark };
}
