// `iact-bot report --repo owner/name [--days 30 | --month 2026-11]
// [--format markdown|json] [--locale en|es] [--timezone Zone]`: the DORA
// report of one repository on stdout (the plan's dora_metrics.py). Every
// figure comes from the service's measurer over the same database, so
// `--days N` shows what GET /api/dora/metrics?days=N&repo= answers.
import type { Command } from "commander";
import pino from "pino";
import { loadConfig } from "../config/env.js";
import { githubWebRoot } from "../github/repository-web-url.js";
import { DoraMeasurer } from "../metrics/measure.js";
import { buildReport } from "../reports/build.js";
import type { ReportPeriod } from "../reports/build.js";
import { renderJson, renderMarkdown, REPORT_LOCALES } from "../reports/render.js";
import type { ReportLocale } from "../reports/render.js";
import { loadDoraInput } from "../store/dora-records.js";
import { readBaseline } from "../store/dora-reports.js";
import { withDatabase } from "./with-database.js";

export interface ReportOptions {
  repo: string;
  days?: string;
  month?: string;
  format: string;
  locale: string;
  timezone: string;
  apiUrl?: string;
}

export function reportPeriod(options: Pick<ReportOptions, "days" | "month">): ReportPeriod {
  if (options.days !== undefined && options.month !== undefined) throw new Error("give --days or --month, not both");
  if (options.month !== undefined) return { month: options.month };
  const days = Number(options.days ?? "30");
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error(`--days must be a whole number of days from 1 to 3650, not "${options.days}"`);
  return { days };
}

export async function reportCommand(options: ReportOptions): Promise<void> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.repo)) throw new Error(`--repo must be owner/name, not "${options.repo}"`);
  if (options.format !== "markdown" && options.format !== "json") throw new Error(`--format must be markdown or json, not "${options.format}"`);
  if (!REPORT_LOCALES.includes(options.locale as ReportLocale)) throw new Error(`--locale must be ${REPORT_LOCALES.join(" or ")}, not "${options.locale}"`);
  const period = reportPeriod(options);
  const config = loadConfig();
  const log = pino({ level: config.env.LOG_LEVEL === "info" ? "warn" : config.env.LOG_LEVEL }, pino.destination(2));
  await withDatabase(async (prisma) => {
    const measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log });
    const content = await buildReport(
      measurer,
      {
        repo: options.repo,
        period,
        timeZone: options.timezone,
        githubWebUrl: githubWebRoot(config.githubBaseUrl ?? "https://api.github.com"),
        apiUrl: options.apiUrl ?? config.env.IACT_PUBLIC_URL ?? `http://localhost:${config.env.PORT}`,
        baseline: await readBaseline(prisma, options.repo),
      },
      new Date(),
    );
    // A background rollup build started by an exact answer finishes before the pool closes.
    await measurer.idle();
    process.stdout.write(options.format === "json" ? renderJson(content, options.locale as ReportLocale) : renderMarkdown(content, options.locale as ReportLocale));
  });
}

export function reportCommandDefinition(program: Command): void {
  program
    .command("report")
    .description("print a repository's DORA report (five metrics, targets, environments, slowest changes, incidents, charts)")
    .requiredOption("--repo <owner/name>", "repository")
    .option("--days <n>", "the last N days (default 30); the same figures as GET /api/dora/metrics?days=N")
    .option("--month <YYYY-MM>", "a calendar month in --timezone")
    .option("--format <format>", "markdown or json", "markdown")
    .option("--locale <locale>", "en or es", "en")
    .option("--timezone <zone>", "IANA time zone of --month", "UTC")
    .option("--api-url <url>", "root of the API the evidence links point at (default IACT_PUBLIC_URL, else http://localhost:PORT)")
    .action(reportCommand);
}
