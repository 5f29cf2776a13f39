// The monthly DORA report issue of every repository that asks for one
// (`reports.enabled` in .github/iact.yml), as one scheduled job.
//
// How repository schedules map onto the scheduler: one job, `dora-report-issues`,
// fires hourly (UTC). Each run goes through every installation and repository
// and, for each repository with reports on, computes the latest time its own
// schedule fired (`reports.schedule` in `reports.timezone`, src/lib/cron-time.ts)
// at or before the run's scheduled time. The period due is the calendar month
// before that time's local date (`0 6 1 * *` on 1 December: 2026-11). A period
// already published (dora_report_issues) is skipped, so each repository gets
// its issue in the first hourly run after its schedule fires, and exactly once:
//   - replicas: the hourly run itself is leased (job_runs), one replica runs it;
//   - restarts: catch-up runs the latest missed hour, which finds every
//     period still due (the last one per repository; older missed months are
//     not back-filled);
//   - a crash between creating the issue and recording it: the next run finds
//     the issue by its hidden marker (src/github/report-issues.ts) and updates
//     it instead of creating another;
//   - a manual run (`iact-bot jobs run dora-report-issues`) publishes the due
//     period again: the same issue, updated.
// For each repository (a numbered pipeline):
//   1. read its settings; an invalid file is counted, logged with its
//      problems and named in the run's error; the other repositories go on;
//   2. find the period due, skip it when already published;
//   3. build the report from the measurer (src/reports/build.ts): the same
//      figures as GET /api/dora/metrics for the month; the first report's
//      figures become the repository's baseline;
//   4. find its issues by marker (this period's, to update; the previous
//      period's, to link), then create or update the issue;
//   5. record the issue for the period.
// A repository whose GitHub calls fail (errors, rate limits beyond the
// retries of src/github/rate-limit.ts) is counted `failed` and stays due: the
// next hourly run tries it again, so nothing is lost, only delayed.
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { RepoConfigProblem } from "../config/repo-config.js";
import type { ReportsConfig } from "../config/reports-config.js";
import type { RepoConfigCache } from "../github/repo-config-cache.js";
import { handleRateLimits } from "../github/rate-limit.js";
import type { RateLimitOptions } from "../github/rate-limit.js";
import { reportMarker, ReportIssues } from "../github/report-issues.js";
import { limitConcurrency } from "../lib/concurrency.js";
import { parseCron, previousFireTime, wallTimeOf } from "../lib/cron-time.js";
import type { DoraMeasurer } from "../metrics/measure.js";
import { buildReport, headlineOf, previousMonth } from "../reports/build.js";
import { renderMarkdown, reportTitle } from "../reports/render.js";
import type { ReportLocale } from "../reports/render.js";
import { keepFirstBaseline, readBaseline, readPublishedReport, recordPublishedReport } from "../store/dora-reports.js";
import type { PublishedReport } from "../store/dora-reports.js";
import type { PrismaClient } from "../store/prisma.js";
import { JobFailedWithCounts } from "./scheduler.js";
import type { JobContext, JobDefinition } from "./scheduler.js";
import { appendAudit } from "../store/audit-log.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export const REPORT_ISSUES_JOB = "dora-report-issues";
/** How far back a repository's schedule is looked at: a monthly schedule fired within it. */
const DUE_HORIZON_MS = 40 * 86_400_000;
/** Repositories measured at once; their issue writes still go one at a time per installation. */
const REPOSITORY_CONCURRENCY = 4;

export interface ReportIssuesJobDependencies {
  prisma: PrismaClient;
  log: Logger;
  measurer: DoraMeasurer;
  repoConfig: Pick<RepoConfigCache, "get">;
  /** The app itself (JWT): lists its installations. */
  appOctokit(): Promise<Octokit>;
  /** An Octokit authenticated as the installation. */
  octokitFor(installationId: number): Promise<Octokit>;
  /** Web root of the GitHub the repositories live on (PR and incident links). */
  githubWebUrl: string;
  /** Root of this service's API, for the evidence links. */
  apiUrl: string;
  /** Issue writes (spacing of content creation); default one second apart per installation. */
  issues?: ReportIssues;
  /** Retries of rate-limited answers (tests shorten the waits). */
  rateLimits?: RateLimitOptions;
  now?: () => Date;
}

export type RepositoryOutcome = "created" | "updated" | "published-already" | "not-due" | "disabled" | "invalid" | "failed";

interface RepositoryTarget {
  installationId: number;
  octokit: Octokit;
  repo: string;
}

/** The month due at `at` for `reports`: the month before the local date of its schedule's latest firing; undefined if it has not fired lately. */
export function duePeriod(reports: Pick<ReportsConfig, "schedule" | "timezone">, at: Date): string | undefined {
  const fired = previousFireTime(parseCron(reports.schedule), reports.timezone, at, DUE_HORIZON_MS);
  if (!fired) return undefined;
  const local = wallTimeOf(fired.getTime(), reports.timezone);
  return previousMonth(`${local.year}-${String(local.month).padStart(2, "0")}`);
}

function describeProblems(problems: readonly RepoConfigProblem[]): string {
  return problems.map((problem) => `${problem.source ? `${problem.source} ` : ""}${problem.path || "(file)"}${problem.line ? ` (line ${problem.line})` : ""}: ${problem.message}`).join("; ");
}

export function reportIssuesJob(dependencies: ReportIssuesJobDependencies): JobDefinition {
  return {
    name: REPORT_ISSUES_JOB,
    description: "monthly DORA report issue of each repository with reports on in .github/iact.yml (checks hourly which are due)",
    schedule: "0 * * * *",
    timezone: "UTC",
    run: (context) => runReportIssues(dependencies, context),
  };
}

async function runReportIssues(dependencies: ReportIssuesJobDependencies, context: JobContext): Promise<Record<string, number>> {
  const issues = dependencies.issues ?? new ReportIssues();
  const counts: Record<RepositoryOutcome | "repositories", number> = { repositories: 0, created: 0, updated: 0, "published-already": 0, "not-due": 0, disabled: 0, invalid: 0, failed: 0 };
  const problems: string[] = [];
  const limit = limitConcurrency(REPOSITORY_CONCURRENCY);
  const pending: Array<Promise<void>> = [];
  try {
    for await (const target of repositories(dependencies, context.log)) {
      counts.repositories += 1;
      pending.push(
        limit(async () => {
          const outcome = await reportRepository(dependencies, issues, target, context).catch((error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            context.log.error({ repository: target.repo, err: error }, "DORA report issue failed; the period stays due and the next run tries again");
            return { outcome: "failed" as const, problem: message };
          });
          counts[outcome.outcome] += 1;
          if (outcome.problem) problems.push(`${target.repo}: ${outcome.problem}`);
        }),
      );
    }
  } finally {
    // A listing that failed half-way: the repositories already started finish (and are recorded) before the run fails.
    await Promise.all(pending);
  }
  if (problems.length > 0) throw new JobFailedWithCounts(`${problems.length} of ${counts.repositories} repositories not reported: ${problems.sort().join(" | ")}`, counts);
  return counts;
}

/** Every repository of every installation, with its installation's Octokit (rate limits handled). */
async function* repositories(dependencies: ReportIssuesJobDependencies, log: Logger): AsyncGenerator<RepositoryTarget> {
  const rateLimits = { log, ...dependencies.rateLimits };
  const app = handleRateLimits(await dependencies.appOctokit(), rateLimits);
  const installations = await app.paginate("GET /app/installations", { per_page: 100 });
  for (const installation of installations) {
    const octokit = handleRateLimits(await dependencies.octokitFor(installation.id), rateLimits);
    const repos = await octokit.paginate("GET /installation/repositories", { per_page: 100 });
    for (const repository of repos) {
      if (repository.archived || repository.has_issues === false) continue;
      yield { installationId: installation.id, octokit, repo: repository.full_name };
    }
  }
}

async function reportRepository(
  dependencies: ReportIssuesJobDependencies,
  issues: ReportIssues,
  target: RepositoryTarget,
  context: JobContext,
): Promise<{ outcome: RepositoryOutcome; problem?: string }> {
  const { prisma, measurer } = dependencies;
  const { octokit, repo, installationId } = target;
  const log = context.log.child({ repository: repo });
  const now = dependencies.now?.() ?? new Date();

  // 1. Settings.
  const [owner, name] = repo.split("/") as [string, string];
  const settings = await dependencies.repoConfig.get(octokit, owner, name);
  if (!settings.ok) {
    const problem = `invalid ${settings.file}: ${describeProblems(settings.problems)}`;
    log.warn({ problems: settings.problems }, "DORA report issue not published: invalid repository configuration");
    return { outcome: "invalid", problem };
  }
  const reports = settings.config.reports;
  if (!reports.enabled) return { outcome: "disabled" };

  // 2. The period due.
  const period = duePeriod(reports, context.scheduledFor);
  if (!period) return { outcome: "not-due" };
  const published = await readPublishedReport(prisma, repo, period);
  if (published && context.trigger !== "manual") return { outcome: "published-already" };

  // 3. The report, and the baseline (the first report's figures).
  const request = { repo, period: { month: period }, timeZone: reports.timezone, githubWebUrl: dependencies.githubWebUrl, apiUrl: dependencies.apiUrl, environments: reports.environments };
  let baseline = await readBaseline(prisma, repo);
  let content = await buildReport(measurer, { ...request, baseline }, now);
  if (!baseline) {
    baseline = await keepFirstBaseline(prisma, repo, { period, figures: headlineOf(content.figures) }, now);
    content = { ...content, trend: { ...content.trend, baseline } };
  }

  // 4. The issue: this period's found by marker is updated, else one is created.
  const locale: ReportLocale = reports.locale;
  const found = await issues.find(octokit, repo, reports.labels[0]!);
  const asRef = (report: PublishedReport | null) => (report ? { number: report.issueNumber, url: report.issueUrl } : undefined);
  const previous = asRef(await readPublishedReport(prisma, repo, previousMonth(period))) ?? found.get(previousMonth(period));
  const existing = asRef(published) ?? found.get(period);
  const draft = {
    title: reportTitle(content, locale),
    body: issueBody(renderMarkdown(content, locale), locale, repo, period, previous?.number),
    labels: reports.labels,
    assignees: reports.assignees,
  };
  const issue = existing ? await issues.update(octokit, installationId, repo, existing.number, draft) : await issues.create(octokit, installationId, repo, draft);

  // 5. Recorded: the period is published.
  await recordPublishedReport(prisma, { repo, period, issueNumber: issue.number, issueUrl: issue.url }, now);
  await appendAudit(prisma, {
    actor: `job:${REPORT_ISSUES_JOB}`,
    action: existing ? "report_issue.updated" : "report_issue.created",
    target: `${repo}#${issue.number}`,
    details: { period, url: issue.url, locale, trigger: context.trigger },
  });
  log.info({ period, issue: issue.number, updated: Boolean(existing) }, existing ? "DORA report issue updated" : "DORA report issue created");
  return { outcome: existing ? "updated" : "created" };
}

const PREVIOUS_REPORT = { en: "Previous report", es: "Informe anterior" } as const;

/** The rendered report, a link to the previous period's issue, and the hidden marker. */
function issueBody(markdown: string, locale: ReportLocale, repo: string, period: string, previousIssue: number | undefined): string {
  const link = previousIssue === undefined ? "" : `${PREVIOUS_REPORT[locale]}: #${previousIssue}\n\n`;
  return `${link}${markdown}\n${reportMarker(repo, period)}\n`;
}
