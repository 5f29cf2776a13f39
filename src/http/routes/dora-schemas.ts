// The documented shapes of the DORA API's answers, as zod schemas: the
// OpenAPI document is generated from them (z.toJSONSchema) and the contract
// tests parse real responses with them, so the document cannot drift from
// what the server sends. Keys are a contract with clients: add, never rename.
import { z } from "zod";
import { EVIDENCE_FIGURES } from "../../dora/index.js";

const hours = z.number().nullable();
const level = z.enum(["elite", "high", "medium", "low"]).nullable().describe("Benchmark level; null without data");
const target = z.strictObject({ target: z.number(), actual: z.number().nullable(), met: z.boolean().nullable() });

export const doraReportSchema = z
  .strictObject({
    window: z.strictObject({ from: z.string(), to: z.string(), days: z.number() }),
    deployment_frequency: z.strictObject({
      deployments: z.number().int().describe("Successful deployments in the window"),
      deploy_days: z.number().int().describe("Calendar days (UTC) with at least one deployment"),
      per_day: z.number(),
      per_week: z.number(),
      per_month: z.number(),
      median_deploy_days_per_week: z.number().nullable(),
    }),
    lead_time_hours: z.strictObject({
      median: hours,
      p90: hours,
      count: z.number().int().describe("Changes measured"),
      breakdown: z.strictObject({ coding: hours, pickup: hours, review: hours, deploy: hours }),
    }),
    change_failure_rate: z.number().min(0).max(1).nullable().describe("Failed deployments / deployments, a ratio 0..1; null without deployments"),
    failed_deployments: z.number().int(),
    failed_deployment_attempts: z.number().int().describe("Deployment attempts that failed; not part of the change failure rate"),
    time_to_restore_hours: z.strictObject({ median: hours, p90: hours, count: z.number().int(), open: z.number().int() }),
    failed_deployment_recovery_hours: z.strictObject({ median: hours, count: z.number().int() }),
    rework_rate: z.number().min(0).max(1).nullable(),
    classification: z.strictObject({
      benchmark_year: z.union([z.literal(2023), z.literal(2021)]),
      deployment_frequency: level,
      lead_time: level,
      change_failure_rate: level,
      time_to_restore: level,
    }),
    targets: z.strictObject({
      deployment_frequency: target,
      lead_time_hours: target,
      change_failure_rate: target,
      time_to_restore_hours: target,
    }),
  })
  .describe("DORA figures from GitHub (see docs/metrics.md for the definitions)");

const patternTexts = z.array(z.string()).describe('Patterns as written in .github/iact.yml: "/source/flags" or an exact, case-insensitive name');

export const doraSettingsSchema = z
  .strictObject({
    source: z
      .enum(["defaults", "repository"])
      .describe("repository: the settings of `repo` recorded by capture from its .github/iact.yml; defaults: the service's (every query without `repo`, `installation` included, and repositories without recorded settings)"),
    updated_at: z.string().nullable().describe("repository: when capture recorded these settings (ISO 8601); null for defaults"),
    production: patternTexts.describe("Environments measured together as production"),
    incident_window_hours: z.number().describe("An incident without a root-cause sha is attributed to the latest production deployment this many hours before it"),
    hotfix: z.strictObject({ labels: patternTexts, branches: patternTexts, titles: patternTexts }),
    targets: z.strictObject({
      deployments_per_week: z.number(),
      lead_time_hours: z.number(),
      change_failure_rate: z.number().min(0).max(1),
      time_to_restore_hours: z.number(),
    }),
    benchmark_year: z.union([z.literal(2023), z.literal(2021)]).describe("The settings' year; `benchmark` overrides it for one answer (see classification.benchmark_year)"),
  })
  .describe("The DORA settings the figures were measured with (docs/api.md, Settings)");

export const doraSectionSchema = doraReportSchema.extend({
  scope: z.strictObject({
    repo: z.string().nullable().describe("The repo filter, or null for every repository"),
    installation: z.number().int().nullable().describe("The installation filter (its repositories together), or null"),
    environment: z.string().nullable().describe("The environment filter, or null for the production environments together"),
  }),
  method: z.enum(["exact", "rollup"]).describe("exact: the window's records measured now, window [now - days, now) (always for `installation`); rollup: daily rollups, window = the last `days` UTC days up to `as_of` (docs/api.md)"),
  as_of: z.string().describe("When the facts measured were read (ISO 8601): now, or the rollups' last refresh"),
  settings: doraSettingsSchema,
  environments: z.record(z.string(), doraReportSchema).describe("Every environment seen in the window, each measured on its own"),
});

export const planMetricsResponseSchema = z
  .strictObject({
    period_days: z.number().int(),
    metrics: z.strictObject({
      lead_time_hours: z.number().describe("Mean duration of the period's deployment-phase records, in hours (0 when none)"),
      deployment_frequency: z.number().int().describe("Count of the period's deployment-phase records"),
      change_failure_rate: z.number().min(0).max(100).describe("Percentage (0..100) of testing-phase records whose decision is no-go (0 when none)"),
      mttr_hours: z.number().nullable().describe("Median time to restore, in hours, of the incidents opened in the period (GitHub data, same scope as `dora`); null when there were none"),
    }),
    total_cycles: z.number().int().describe("Distinct cycle ids among the period's records"),
    dora: doraSectionSchema,
  })
  .describe("The plan's summary of the team's records (TASK-005) beside the GitHub-derived DORA figures");

export const createdMetricSchema = z.strictObject({
  id: z.number().int(),
  cycle_id: z.string(),
  created_at: z.string().describe("ISO 8601"),
});

export const errorSchema = z.object({
  error: z.string(),
  details: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
});



const deploymentSchema = z.object({
  id: z.string(),
  repo: z.string(),
  environment: z.string(),
  sha: z.string(),
  ref: z.string().optional(),
  deployed_at: z.string(),
  source: z.string(),
});
const changeSchema = z.object({
  deployment_id: z.string(),
  sha: z.string(),
  authored_at: z.string(),
  message: z.string(),
  pull_request: z.object({ repo: z.string(), number: z.number() }).optional(),
  lead_time_hours: z.number().optional(),
});
const incidentSchema = z.object({
  id: z.string(),
  repo: z.string(),
  number: z.number(),
  title: z.string(),
  opened_at: z.string(),
  closed_at: z.string().nullable(),
  root_cause_sha: z.string().nullable(),
  environment: z.string().nullable(),
  attributed_to: z.string().nullable(),
  how: z.string().nullable(),
  restore_hours: z.number().nullable(),
});

export const evidenceResponseSchema = z.strictObject({
  figure: z.enum(EVIDENCE_FIGURES),
  value: z.unknown().describe("The figure as GET /api/dora/metrics reports it for the same query"),
  window: z.strictObject({ from: z.string(), to: z.string(), days: z.number() }),
  scope: doraSectionSchema.shape.scope,
  deployments: z.array(
    deploymentSchema.extend({
      failed: z.boolean().optional().describe("change_failure_rate: whether it failed"),
      reasons: z.array(z.string()).optional().describe("change_failure_rate: incident, rollback, revert; rework_rate: revert, hotfix, open_incident, rollback"),
      rework: z.boolean().optional().describe("rework_rate: whether it was rework"),
      recovery_hours: z.number().nullable().optional().describe("failed_deployment_recovery: hours to recovery, null while not recovered"),
      recovered_by: z.string().nullable().optional(),
    }),
  ),
  changes: z.array(changeSchema),
  incidents: z.array(incidentSchema),
  attempts: z
    .array(z.object({ id: z.string(), repo: z.string(), environment: z.string(), sha: z.string(), failed_at: z.string() }))
    .describe("failed_deployment_attempts: the attempts counted; empty for other figures"),
});
