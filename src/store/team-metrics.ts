// The team's metric records (TASK-005: the plan's `dora_metrics` table).
//
// One zod schema validates a record wherever it comes from (POST body, import
// file) and documents it (OpenAPI via z.toJSONSchema). The summary is
// computed in SQL with the plan's Django view's own aggregates (AVG over
// DECIMAL(10,2), COUNT, COUNT DISTINCT, `=` under the table's
// case-insensitive collation), so a million records cost one index range
// scan; computePlanMetrics (src/dora) is the same rule in TypeScript and the
// tests check that both agree.
import { z } from "zod";
import type { PlanMetrics, TeamDecision, TeamMetricRecord, TeamPhase } from "../dora/index.js";
import { isUniqueViolation } from "./prisma.js";
import type { PrismaClient } from "./prisma.js";
import type { TeamMetric as TeamMetricRow } from "./generated/client.js";
import { MS_PER_DAY } from "../dora/index.js";
import { appendAuditIn } from "./audit-log.js";
import { jsonNesting } from "../lib/json-nesting.js";

/**
 * Objects and arrays inside each other that a MariaDB JSON column stores:
 * its JSON_VALID check refuses 32 or more (error 4025). MySQL allows 100.
 */
export const MAX_JSON_COLUMN_NESTING = 31;

export const TEAM_PHASES = ["planning", "testing", "deployment", "maintenance"] as const satisfies readonly TeamPhase[];
export const TEAM_DECISIONS = ["go", "no-go", "review", "blocked"] as const satisfies readonly TeamDecision[];

/** DECIMAL(10,2): 8 digits before the point. */
export const MAX_DURATION_SECONDS = 99_999_999.99;

/** True when a number has at most two decimals as written (JS prints the shortest exact form). */
export function hasAtMostTwoDecimals(value: number): boolean {
  const text = String(value);
  if (/e/i.test(text)) return false;
  return (text.split(".")[1] ?? "").length <= 2;
}

export const teamMetricInputSchema = z
  .strictObject({
    cycle_id: z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters"),
    feature_id: z.string().trim().min(1, "must not be empty").max(50, "must be at most 50 characters"),
    phase_name: z.enum(TEAM_PHASES, { error: `must be one of ${TEAM_PHASES.join(", ")}` }),
    decision: z.enum(TEAM_DECISIONS, { error: `must be one of ${TEAM_DECISIONS.join(", ")}` }),
    duration_seconds: z
      .number({ error: "must be a number of seconds" })
      .min(0, "must be >= 0")
      .max(MAX_DURATION_SECONDS, `must be <= ${MAX_DURATION_SECONDS}`)
      .refine(hasAtMostTwoDecimals, "must have at most two decimals (it is stored as DECIMAL(10,2); it is not rounded for you)"),
    metadata: z
      .record(z.string(), z.unknown(), { error: "must be a JSON object" })
      .refine((metadata) => jsonNesting(metadata) <= MAX_JSON_COLUMN_NESTING, {
        error: `must nest objects and arrays at most ${MAX_JSON_COLUMN_NESTING} levels deep (itself included): the database's JSON column stores no deeper`,
      })
      .default({}),
    created_at: z
      .union([z.iso.datetime({ offset: true }), z.iso.date()], {
        error: "must be an ISO 8601 date-time with a time zone (2026-11-27T10:00:00Z) or a date (2026-11-27)",
      })
      .refine(isStorableTime, "must be between 1000-01-01 and 9999-12-31 UTC (the column's DATETIME range; MariaDB would store year 0 as 2000)")
      .optional()
      .describe("When the record was made; default: the time it is stored. A bare date means midnight UTC."),
  })
  .describe("One record of the team's delivery cycle (the plan's DORAMetric).");

export type TeamMetricInput = z.output<typeof teamMetricInputSchema>;

export interface CreatedTeamMetric {
  id: bigint;
  cycle_id: string;
  created_at: string;
}

export class DuplicateCycleError extends Error {
  override name = "DuplicateCycleError";
  constructor(readonly cycleId: string) {
    super(`A metric record with cycle_id "${cycleId}" already exists; cycle ids are unique (case-insensitively)`);
  }
}

export interface ImportOutcome {
  inserted: number;
  /** cycle_ids already stored (or repeated in the batch), left as they were. */
  skipped: string[];
  /** Further records the unique index refused as equal to a stored cycle_id under the column's collation. */
  skippedByCollation: number;
}

export interface PlanSummary extends PlanMetrics {
  /** Records of the period (all phases). */
  records: number;
}

/** Who wrote: the audit log's actor and the request it came with. */
export interface AuditedBy {
  actor: string;
  requestId?: string | null;
}

export class TeamMetrics {
  constructor(private readonly prisma: PrismaClient) {}

  /** `by`: who asked (the audit entry written with the record). */
  async create(input: TeamMetricInput, now = new Date(), by: AuditedBy = { actor: "cli" }): Promise<CreatedTeamMetric> {
    try {
      const row = await this.prisma.$transaction(async (tx) => {
        const created = await tx.teamMetric.create({ data: toRow(input, now) });
        await appendAuditIn(tx, {
          actor: by.actor,
          requestId: by.requestId ?? null,
          action: "metric_record.created",
          target: `dora_metrics:${created.cycleId}`,
          details: { id: created.id.toString(), feature_id: input.feature_id, phase_name: input.phase_name, decision: input.decision },
        });
        return created;
      });
      return { id: row.id, cycle_id: row.cycleId, created_at: row.createdAt.toISOString() };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateCycleError(input.cycle_id);
      throw error;
    }
  }

  /**
   * Inserts valid records in one transaction, skipping cycle_ids already
   * stored: importing the same file twice inserts nothing the second time.
   */
  async importMany(inputs: readonly TeamMetricInput[], now = new Date(), by: AuditedBy = { actor: "cli" }): Promise<ImportOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const skipped: string[] = [];
      const seen = new Set<string>();
      const fresh: TeamMetricInput[] = [];
      const CHUNK = 1_000;
      for (let start = 0; start < inputs.length; start += CHUNK) {
        const chunk = inputs.slice(start, start + CHUNK);
        const existing = await tx.teamMetric.findMany({ where: { cycleId: { in: chunk.map((input) => input.cycle_id) } }, select: { cycleId: true } });
        // The column's collation compares case-insensitively; so do we.
        const stored = new Set(existing.map((row) => row.cycleId.toLowerCase()));
        for (const input of chunk) {
          const key = input.cycle_id.toLowerCase();
          if (stored.has(key) || seen.has(key)) skipped.push(input.cycle_id);
          else fresh.push(input);
          seen.add(key);
        }
      }
      let inserted = 0;
      for (let start = 0; start < fresh.length; start += CHUNK) {
        // skipDuplicates (INSERT IGNORE): the collation may equate ids that
        // lower-casing does not ("Straße"/"strasse"); the database has the last word.
        const result = await tx.teamMetric.createMany({ data: fresh.slice(start, start + CHUNK).map((input) => toRow(input, now)), skipDuplicates: true });
        inserted += result.count;
      }
      const outcome = { inserted, skipped, skippedByCollation: fresh.length - inserted };
      await appendAuditIn(tx, {
        actor: by.actor,
        requestId: by.requestId ?? null,
        action: "metric_records.imported",
        target: "dora_metrics",
        details: { records: inputs.length, inserted, skipped: skipped.length, skipped_by_collation: outcome.skippedByCollation },
      });
      return outcome;
    }, { timeout: 120_000, maxWait: 10_000 });
  }

  /** The plan's view over records with created_at >= now - days. */
  async summary(now: Date, days: number): Promise<PlanSummary> {
    const cutoff = new Date(now.getTime() - days * MS_PER_DAY);
    const rows = await this.prisma.$queryRaw<
      Array<{ avg_deployment: unknown; deployments: unknown; tests: unknown; failed_tests: unknown; cycles: unknown; records: unknown }>
    >`SELECT AVG(CASE WHEN phase_name = 'deployment' THEN duration_seconds END) AS avg_deployment,
             COALESCE(SUM(phase_name = 'deployment'), 0) AS deployments,
             COALESCE(SUM(phase_name = 'testing'), 0) AS tests,
             COALESCE(SUM(phase_name = 'testing' AND decision = 'no-go'), 0) AS failed_tests,
             COUNT(DISTINCT cycle_id) AS cycles,
             COUNT(*) AS records
        FROM dora_metrics
       WHERE created_at >= ${cutoff}`;
    const row = rows[0];
    const deployments = Number(row?.deployments ?? 0);
    const tests = Number(row?.tests ?? 0);
    const failedTests = Number(row?.failed_tests ?? 0);
    // MySQL's AVG over DECIMAL(10,2) is a DECIMAL with 6 decimals: whole microseconds.
    const averageMicroseconds = row?.avg_deployment == null ? 0 : Math.round(Number(String(row.avg_deployment)) * 1_000_000);
    return {
      lead_time_hours: averageMicroseconds / 3_600_000_000,
      deployment_frequency: deployments,
      change_failure_rate: tests > 0 ? (failedTests / tests) * 100 : 0,
      total_cycles: Number(row?.cycles ?? 0),
      records: Number(row?.records ?? 0),
    };
  }

  /** A page of the records created in [from, to), newest first, continuing after `after` (the last one of the previous page). */
  async page(window: { from: Date; to: Date; after?: { at: Date; id: bigint }; limit: number }): Promise<Array<TeamMetricRecord & { id: bigint }>> {
    const { after } = window;
    const rows = await this.prisma.teamMetric.findMany({
      where: {
        createdAt: { gte: window.from, lt: window.to },
        ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: window.limit,
    });
    return rows.map((row) => ({ id: row.id, ...recordOf(row) }));
  }

  /** The records as the pure core reads them (tests compare the SQL summary with computePlanMetrics). */
  async list(): Promise<TeamMetricRecord[]> {
    const rows = await this.prisma.teamMetric.findMany({ orderBy: { id: "asc" } });
    return rows.map(recordOf);
  }
}

function recordOf(row: TeamMetricRow): TeamMetricRecord {
  return {
    cycleId: row.cycleId,
    featureId: row.featureId,
    phaseName: row.phaseName as TeamPhase,
    decision: row.decision as TeamDecision,
    durationSeconds: Number(row.durationSeconds.toString()),
    metadata: row.metadata as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}

function toRow(input: TeamMetricInput, now: Date) {
  return {
    cycleId: input.cycle_id,
    featureId: input.feature_id,
    phaseName: input.phase_name,
    decision: input.decision,
    // Exact: the value has at most two decimals, and a string avoids any float step.
    durationSeconds: String(input.duration_seconds),
    metadata: input.metadata as object,
    createdAt: input.created_at === undefined ? now : parseCreatedAt(input.created_at),
  };
}

/** Within DATETIME's range, where MariaDB stores a time as it is. */
function isStorableTime(text: string): boolean {
  const time = parseCreatedAt(text).getTime();
  return time >= Date.UTC(1000, 0, 1) && time < Date.UTC(10000, 0, 1);
}

export function parseCreatedAt(text: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
}
