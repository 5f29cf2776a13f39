// The monthly report issues' own tables (migration 20261129020000):
//   - dora_report_issues: the issue of each repository and period, so a
//     period is published once and a re-run updates the same issue;
//   - dora_report_baselines: each repository's baseline, the headline figures
//     of its first report. The first writer wins (INSERT IGNORE), so replicas
//     and re-runs agree on one baseline.
import type { PrismaClient } from "./prisma.js";
import { sqlTime } from "./sql-time.js";

export interface PublishedReport {
  repo: string;
  period: string;
  issueNumber: number;
  issueUrl: string;
}

/** The five headline figures a report compares across periods (null: no data). */
export interface HeadlineFigures {
  deployments_per_week: number;
  lead_time_median_hours: number | null;
  change_failure_rate: number | null;
  time_to_restore_median_hours: number | null;
  rework_rate: number | null;
}

export interface Baseline {
  period: string;
  figures: HeadlineFigures;
}

export async function readPublishedReport(prisma: PrismaClient, repo: string, period: string): Promise<PublishedReport | null> {
  const row = await prisma.doraReportIssue.findUnique({ where: { repo_period: { repo, period } } });
  return row ? { repo: row.repo, period: row.period, issueNumber: row.issueNumber, issueUrl: row.issueUrl } : null;
}

export async function recordPublishedReport(prisma: PrismaClient, report: PublishedReport, at: Date): Promise<void> {
  const { repo, period, issueNumber, issueUrl } = report;
  await prisma.doraReportIssue.upsert({
    where: { repo_period: { repo, period } },
    create: { repo, period, issueNumber, issueUrl, publishedAt: at, updatedAt: at },
    update: { issueNumber, issueUrl, updatedAt: at },
  });
}

export async function readBaseline(prisma: PrismaClient, repo: string): Promise<Baseline | null> {
  const row = await prisma.doraReportBaseline.findUnique({ where: { repo } });
  return row ? { period: row.period, figures: row.figures as unknown as HeadlineFigures } : null;
}

/** Stores `baseline` unless the repository has one; returns the one kept. */
export async function keepFirstBaseline(prisma: PrismaClient, repo: string, baseline: Baseline, at: Date): Promise<Baseline> {
  await prisma.$executeRaw`
    INSERT IGNORE INTO dora_report_baselines (repo, period, figures, created_at)
    VALUES (${repo}, ${baseline.period}, ${JSON.stringify(baseline.figures)}, ${sqlTime(at)})`;
  return (await readBaseline(prisma, repo)) ?? baseline;
}
