// `iact-bot import <file> [--dry-run]`: loads the team's
// .dora_sdlc_metrics.json into dora_metrics (the plan's FASE 6).
//
// Accepted layouts (the plan does not show the file):
//   [ {record}, ... ]                      an array of records
//   { "metrics": [ {record}, ... ], ... }  an object with ONE array of objects
//                                          (any name: metrics, cycles, records...)
// A record has the POST /api/dora/metrics fields; the names a Python script
// is likely to have written are accepted too (phase -> phase_name, duration
// -> duration_seconds, timestamp -> created_at, feature -> feature_id,
// cycle -> cycle_id), phase and decision in any case, a duration as a
// numeric string.
//
// 1. read and locate the records   2. validate every record (nothing written yet)
// 3. insert the valid ones in one transaction, skipping cycle_ids already stored
// 4. print the summary; exit 1 when a record was rejected (the rest is imported).
// Running it again inserts nothing: cycle_id is the record's identity.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { fieldErrors } from "../http/validation.js";
import { TeamMetrics, teamMetricInputSchema } from "../store/team-metrics.js";
import type { ImportOutcome, TeamMetricInput } from "../store/team-metrics.js";
import { withDatabase } from "./with-database.js";
import { cliActor } from "./actor.js";

export class ImportFileError extends Error {
  override name = "ImportFileError";
}

export interface RejectedRecord {
  /** 0-based position in the file's array. */
  index: number;
  cycle_id: string | null;
  field: string;
  message: string;
}

export interface CheckedFile {
  /** Where the records were: "(top-level array)" or the property name. */
  container: string;
  total: number;
  valid: Array<{ index: number; record: TeamMetricInput }>;
  rejected: RejectedRecord[];
}

const ALIASES: Record<string, string> = {
  phase: "phase_name",
  duration: "duration_seconds",
  timestamp: "created_at",
  feature: "feature_id",
  cycle: "cycle_id",
};
const PREFERRED_CONTAINERS = ["metrics", "records", "cycles", "dora_metrics", "data", "items"];

/** Step 1: the records of the file, or an ImportFileError saying what layout was expected. */
export function locateRecords(text: string): { container: string; records: unknown[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return { container: "(top-level array)", records: parsed };
  if (parsed !== null && typeof parsed === "object") {
    const arrays = Object.entries(parsed).filter(([, value]) => Array.isArray(value)) as Array<[string, unknown[]]>;
    if (arrays.length === 1) return { container: arrays[0]![0], records: arrays[0]![1] };
    const preferred = PREFERRED_CONTAINERS.find((name) => arrays.some(([key]) => key === name));
    if (preferred) return { container: preferred, records: arrays.find(([key]) => key === preferred)![1] };
    if (arrays.length > 1) {
      throw new ImportFileError(`the object has several arrays (${arrays.map(([key]) => key).join(", ")}); expected one array of records, e.g. {"metrics": [...]}`);
    }
  }
  throw new ImportFileError('expected an array of records, or an object holding one array of records (e.g. {"metrics": [...]})');
}

/** The plan's likely spellings, mapped to the API's; values left for the schema to judge. */
export function normaliseRecord(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const record: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [alias, field] of Object.entries(ALIASES)) {
    if (alias in record && !(field in record)) {
      record[field] = record[alias];
      delete record[alias];
    }
  }
  for (const field of ["phase_name", "decision"]) {
    if (typeof record[field] === "string") record[field] = (record[field] as string).trim().toLowerCase();
  }
  // A numeric string keeps its written precision: "12.345" -> 12.345, still refused for its third decimal.
  if (typeof record.duration_seconds === "string" && /^\s*\d+(\.\d+)?\s*$/.test(record.duration_seconds)) {
    record.duration_seconds = Number(record.duration_seconds.trim());
  }
  return record;
}

/** Step 2: every record validated; none written. */
export function checkRecords(text: string): CheckedFile {
  const { container, records } = locateRecords(text);
  const valid: CheckedFile["valid"] = [];
  const rejected: RejectedRecord[] = [];
  records.forEach((value, index) => {
    const normalised = normaliseRecord(value);
    const result = teamMetricInputSchema.safeParse(normalised);
    if (result.success) {
      valid.push({ index, record: result.data });
      return;
    }
    const cycleId = typeof (normalised as { cycle_id?: unknown } | null)?.cycle_id === "string" ? (normalised as { cycle_id: string }).cycle_id : null;
    for (const error of fieldErrors(result.error)) rejected.push({ index, cycle_id: cycleId, ...error });
  });
  return { container, total: records.length, valid, rejected };
}

export interface ImportReport {
  file: string;
  container: string;
  total: number;
  valid: number;
  rejected: RejectedRecord[];
  /** null in a dry run. */
  outcome: ImportOutcome | null;
}

/** Steps 1-3 against a database; the CLI prints the result. */
export async function importFile(file: string, teamMetrics: TeamMetrics | null): Promise<ImportReport> {
  const checked = checkRecords(await readFile(file, "utf8"));
  const outcome = teamMetrics ? await teamMetrics.importMany(checked.valid.map((entry) => entry.record), new Date(), { actor: cliActor() }) : null;
  return { file, container: checked.container, total: checked.total, valid: checked.valid.length, rejected: checked.rejected, outcome };
}

export function formatReport(report: ImportReport): string[] {
  const lines = report.rejected.map(
    (entry) => `record [${entry.index}]${entry.cycle_id ? ` (cycle_id ${entry.cycle_id})` : ""}: ${entry.field} ${entry.message}`,
  );
  const rejectedRecords = new Set(report.rejected.map((entry) => entry.index)).size;
  const summary = report.outcome
    ? `${report.file}: ${report.total} records in ${report.container}; ${report.outcome.inserted} inserted, ${report.outcome.skipped.length + report.outcome.skippedByCollation} already present (skipped), ${rejectedRecords} rejected`
    : `${report.file}: ${report.total} records in ${report.container}; ${report.valid} valid, ${rejectedRecords} rejected (dry run: nothing written)`;
  return [...lines, summary];
}

export function importCommand(program: Command): void {
  program
    .command("import")
    .argument("<file>", "the team's .dora_sdlc_metrics.json (an array of records, or an object holding one)")
    .option("--dry-run", "validate and report without writing")
    .description("load the team's metric records into dora_metrics; idempotent (cycle_id), bad records reported and skipped")
    .action(async (file: string, options: { dryRun?: boolean }) => {
      let report: ImportReport;
      try {
        if (options.dryRun) {
          report = await importFile(file, null);
        } else {
          report = await withDatabase((prisma) => importFile(file, new TeamMetrics(prisma)));
        }
      } catch (error) {
        if (error instanceof ImportFileError) throw new Error(`${file}: ${error.message}; nothing was imported`, { cause: error });
        throw error;
      }
      const lines = formatReport(report);
      for (const line of lines.slice(0, -1)) console.error(line);
      console.log(lines.at(-1));
      // Rejected records were skipped, the rest imported; a non-zero exit makes scripts notice.
      if (report.rejected.length > 0) process.exitCode = 1;
    });
}
