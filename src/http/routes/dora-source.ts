// Where the API's GitHub-derived DORA figures come from: the capture layer's
// records for a window (loadDoraInput in src/store/dora-records.ts), measured
// by the pure core with the DORA settings. Shared by /api/dora/metrics and
// /api/dora/evidence so a figure and its evidence always come from the same
// records and the same rules.
//
// Settings: per-repo DORA settings live in each repo's .github/iact.yml on
// GitHub, which the API does not read per request; the API measures with the
// defaults (defaultDoraConfig) unless a config is injected.
import { z } from "zod";
import { defaultDoraConfig, hotfixPatterns, productionPatterns, targetsOf } from "../../config/dora-config.js";
import type { DoraConfig } from "../../config/dora-config.js";
import { computeDoraByEnvironment, computeDoraReport } from "../../dora/index.js";
import type { DoraInput, DoraOptions, DoraReport } from "../../dora/index.js";
import type { DoraInputQuery } from "../../store/dora-records.js";

export type { DoraInputQuery };

export type DoraInputLoader = (query: DoraInputQuery) => Promise<DoraInput>;

export const EMPTY_DORA_INPUT: DoraInput = { deployments: [], attempts: [], changes: [], pullRequests: [], incidents: [] };

export const MAX_DAYS = 3650;

export const doraQuerySchema = z.strictObject({
  days: z.coerce
    .number({ error: "must be a whole number of days" })
    .int("must be a whole number of days")
    .min(1, "must be at least 1")
    .max(MAX_DAYS, `must be at most ${MAX_DAYS}`)
    .default(30)
    .describe("Length of the period in days, ending now"),
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
});

export type DoraQuery = z.output<typeof doraQuerySchema>;

export type ReportWithoutEvidence = Omit<DoraReport, "evidence">;

export interface MeasuredWindow {
  input: DoraInput;
  options: DoraOptions;
  /** Production together (or `environment` alone), with every environment under `environments`. */
  report: DoraReport & { environments: Record<string, DoraReport> };
}

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

/** The window [now - days, now) measured. */
export async function measureWindow(
  load: DoraInputLoader,
  query: DoraQuery,
  now: Date,
  config: DoraConfig = defaultDoraConfig,
): Promise<MeasuredWindow> {
  const to = now;
  const from = new Date(now.getTime() - query.days * 86_400_000);
  // The environment filter is applied by the core, not the loader: attributing
  // an incident needs the repo's production deployments whatever is measured.
  const input = await load({ from, to, ...(query.repo ? { repo: query.repo } : {}) });
  const options = doraOptions(config, from, to);
  const all = computeDoraByEnvironment(input, options);
  if (query.environment === undefined) return { input, options, report: all };
  const single = all.environments[query.environment] ?? computeDoraReport(input, { ...options, environment: query.environment });
  return { input, options: { ...options, environment: query.environment }, report: { ...single, environments: { [query.environment]: single } } };
}

export function withoutEvidence(report: DoraReport): ReportWithoutEvidence {
  const { evidence: _evidence, ...rest } = report;
  return rest;
}
