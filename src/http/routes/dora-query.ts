// The DORA routes' shared query (`days`, `repo`, `installation`,
// `environment`, `benchmark`) and the JSON sections that describe how an
// answer was measured. Parsing and mapping only: the measuring is
// src/metrics/measure.ts, the same for every caller.
import { z } from "zod";
import type { BenchmarkYear } from "../../dora/index.js";
import type { AppliedSettings, Measurement } from "../../metrics/measure.js";
import { HttpError } from "../http-error.js";
import { wholeNumberParameter } from "../query-numbers.js";

export const MAX_DAYS = 3650;

export const doraQuerySchema = z.strictObject({
  days: wholeNumberParameter("days", MAX_DAYS, 30).describe("Length of the period in days, ending now"),
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name")
    .optional()
    .describe("Only this repository (owner/name); default: every repository"),
  environment: z
    .string()
    .min(1)
    .max(255)
    .transform((name) => name.toLowerCase())
    .optional()
    .describe("Measure this one environment instead of the production environments together (case-insensitive, as GitHub's names)"),
  installation: z
    .string()
    // At most 15 digits: every such id is a safe integer (GitHub's are 8-9 digits).
    .regex(/^[1-9]\d{0,14}$/, "must be an installation id (a positive whole number)")
    .transform(Number)
    .optional()
    .describe("Only the repositories of this GitHub App installation, measured together (always exact, with the default settings); not with `repo`"),
  benchmark: z
    .enum(["2023", "2021"], { error: "must be 2023 or 2021" })
    .transform((year): BenchmarkYear => (year === "2021" ? 2021 : 2023))
    .optional()
    .describe("The DORA benchmark year to classify with (dora.classification.benchmark_year); default: the settings' year"),
});

export type DoraQuery = z.output<typeof doraQuerySchema>;

/**
 * `repo` and `installation` are two scopes; a query names at most one
 * (a repository already belongs to one installation).
 */
export function assertOneScope(query: Pick<DoraQuery, "repo" | "installation">): void {
  if (query.repo === undefined || query.installation === undefined) return;
  throw new HttpError(400, "Invalid query: pass repo or installation, not both", [
    { field: "repo", message: "cannot be combined with installation" },
    { field: "installation", message: "cannot be combined with repo" },
  ]);
}

/** `dora.scope` of an answer. */
export function scopeSection(query: DoraQuery) {
  return { repo: query.repo ?? null, installation: query.installation ?? null, environment: query.environment ?? null };
}

/** `dora.settings` of an answer (doraSettingsSchema), in the YAML's names. */
export function settingsSection(applied: AppliedSettings) {
  const { config } = applied;
  return {
    source: applied.source,
    updated_at: applied.updatedAt?.toISOString() ?? null,
    production: [...config.production],
    incident_window_hours: config.incidents.window_hours,
    hotfix: { labels: [...config.hotfix.labels], branches: [...config.hotfix.branches], titles: [...config.hotfix.titles] },
    targets: { ...config.targets },
    benchmark_year: config.benchmark_year,
  };
}


/** The `dora` section of an answer: the measured figures and how they were measured. */
export function doraSection(query: DoraQuery, measured: Measurement) {
  const { environments, ...top } = measured.report;
  return {
    ...top,
    scope: scopeSection(query),
    method: measured.method,
    as_of: measured.asOf.toISOString(),
    settings: settingsSection(measured.settings),
    environments,
  };
}
