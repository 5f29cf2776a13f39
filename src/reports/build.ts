// The content of a DORA report for one repository and period, gathered from
// the one measurer (src/metrics/measure.ts) and nothing else:
//   - the figures: measure() of the period (`days`: the same query as
//     GET /api/dora/metrics?days=&repo=, so the same answer; `month`: the
//     calendar month in the report's time zone, an explicit window measured
//     exactly);
//   - the ten slowest changes and the incidents: evidence() of lead_time and
//     time_to_restore for the same query;
//   - the weekly series of the charts: measure() of each 7-day slice of the
//     period (deployments, lead-time median);
//   - the trend: the headline figures of the period before (measure() of the
//     window of the same length just before) and of the team's baseline (the
//     first report's figures, stored: src/store/dora-reports.ts, passed in).
// Rendering is src/reports/render.ts (pure).
import type { DoraMeasurer, EvidenceMeasurement, MeasureQuery, Measurement } from "../metrics/measure.js";
import { MS_PER_DAY } from "../dora/index.js";
import type { Baseline, HeadlineFigures } from "../store/dora-reports.js";

export type ReportPeriod = { days: number } | { month: string };

export interface ReportRequest {
  repo: string;
  period: ReportPeriod;
  /** IANA time zone a month is read in; default UTC. */
  timeZone?: string;
  /** Web root of the GitHub the repository lives on (PR and incident links); default https://github.com. */
  githubWebUrl?: string;
  /** Root of this service's API (the evidence links); default http://localhost:3000. */
  apiUrl?: string;
  /** The team's baseline to compare with; none stored yet: null. */
  baseline?: Baseline | null;
  /** Environments shown in the per-environment table (lower-case); empty or absent: all. */
  environments?: readonly string[];
}

export interface ReportTrend {
  current: HeadlineFigures;
  /** The window of the same length just before ("2026-10" for a month). */
  previous: { label: string; figures: HeadlineFigures };
  baseline: Baseline | null;
}

export interface SlowChange {
  sha: string;
  leadTimeHours: number;
  pullRequest: { number: number; url: string } | null;
  message: string;
}

export interface ReportIncident {
  number: number;
  title: string;
  url: string;
  openedAt: string;
  closedAt: string | null;
  restoreHours: number | null;
}

export interface WeekPoint {
  /** First day of the slice, YYYY-MM-DD (UTC). */
  from: string;
  deployments: number;
  leadTimeMedianHours: number | null;
}

export interface ReportContent {
  repo: string;
  /** "2026-11" or "30d". */
  label: string;
  window: { from: string; to: string };
  method: Measurement["method"];
  asOf: string;
  figures: Measurement["report"];
  slowestChanges: SlowChange[];
  incidents: ReportIncident[];
  weeks: WeekPoint[];
  trend: ReportTrend;
  /** Environments the per-environment table shows; null: every one measured. */
  environments: string[] | null;
  /** The evidence API's URL per figure. */
  evidenceLinks: Record<"deployment_frequency" | "lead_time" | "change_failure_rate" | "time_to_restore" | "rework_rate", string>;
}

const SLOWEST = 10;
const WEEK_MS = 7 * MS_PER_DAY;

/** [from, to) of "YYYY-MM" in `timeZone`: from local midnight of the 1st to local midnight of the next month's 1st. */
export function monthWindow(month: string, timeZone = "UTC"): { from: Date; to: Date } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(match?.[1]);
  const index = Number(match?.[2]) - 1;
  if (!match || index < 0 || index > 11) throw new Error(`--month must be YYYY-MM, not "${month}"`);
  return { from: localMidnight(year, index, timeZone), to: localMidnight(index === 11 ? year + 1 : year, (index + 1) % 12, timeZone) };
}

/** The instant of 00:00 on the 1st of month `index` of `year` in `timeZone`. */
function localMidnight(year: number, index: number, timeZone: string): Date {
  const utc = Date.UTC(year, index, 1);
  // The zone's offset at that moment, found by formatting the UTC instant there (twice: DST changes near midnight).
  let guess = utc;
  for (let step = 0; step < 2; step++) guess = utc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at.getTime() / 1000) * 1000;
}

/** "YYYY-MM" of the month before `month`. */
export function previousMonth(month: string): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return index === 1 ? `${year - 1}-12` : `${year}-${String(index - 1).padStart(2, "0")}`;
}

/** The five figures a report compares across periods, from a measured report. */
export function headlineOf(report: Measurement["report"]): HeadlineFigures {
  return {
    deployments_per_week: report.deployment_frequency.per_week,
    lead_time_median_hours: report.lead_time_hours.median,
    change_failure_rate: report.change_failure_rate,
    time_to_restore_median_hours: report.time_to_restore_hours.median,
    rework_rate: report.rework_rate,
  };
}

/** A month as a measure query: its explicit window (`days`: its length, for display). */
function monthQuery(repo: string, month: string, timeZone: string | undefined): MeasureQuery {
  const window = monthWindow(month, timeZone);
  return { repo, days: Math.round((window.to.getTime() - window.from.getTime()) / MS_PER_DAY), window };
}

export async function buildReport(measurer: DoraMeasurer, request: ReportRequest, now: Date): Promise<ReportContent> {
  const { repo, period } = request;
  const query: MeasureQuery = "month" in period ? monthQuery(repo, period.month, request.timeZone) : { repo, days: period.days };
  const measured = await measurer.measure(query, now);
  const [leadTime, restore] = (await measurer.evidenceOf(query, ["lead_time", "time_to_restore"], now)) as [EvidenceMeasurement, EvidenceMeasurement];
  const web = (request.githubWebUrl ?? "https://github.com").replace(/\/$/, "");
  const slowestChanges = leadTime.evidence.changes
    .filter((entry) => entry.leadTimeHours !== undefined)
    .sort((a, b) => b.leadTimeHours! - a.leadTimeHours! || a.change.sha.localeCompare(b.change.sha))
    .slice(0, SLOWEST)
    .map(({ change, leadTimeHours }) => ({
      sha: change.sha,
      leadTimeHours: leadTimeHours!,
      pullRequest: change.pullRequest ? { number: change.pullRequest.number, url: `${web}/${change.pullRequest.repo}/pull/${change.pullRequest.number}` } : null,
      message: change.message.split("\n")[0]!,
    }));
  const incidents = restore.evidence.incidents
    .map(({ incident, restoreHours }) => ({
      number: incident.number,
      title: incident.title,
      url: `${web}/${incident.repo}/issues/${incident.number}`,
      openedAt: incident.openedAt.toISOString(),
      closedAt: incident.closedAt?.toISOString() ?? null,
      restoreHours,
    }))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.number - b.number);
  const from = new Date(measured.report.window.from);
  const to = new Date(measured.report.window.to);
  const weeks: WeekPoint[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += WEEK_MS) {
    const slice = { from: new Date(start), to: new Date(Math.min(start + WEEK_MS, to.getTime())) };
    const week = await measurer.measure({ repo, days: 7, window: slice }, now);
    weeks.push({ from: slice.from.toISOString().slice(0, 10), deployments: week.report.deployment_frequency.deployments, leadTimeMedianHours: week.report.lead_time_hours.median });
  }
  const previousWindow = "month" in period ? monthWindow(previousMonth(period.month), request.timeZone) : { from: new Date(2 * from.getTime() - to.getTime()), to: from };
  const before = await measurer.measure({ repo, days: Math.round((previousWindow.to.getTime() - previousWindow.from.getTime()) / MS_PER_DAY), window: previousWindow }, now);
  const trend: ReportTrend = {
    current: headlineOf(measured.report),
    previous: { label: "month" in period ? previousMonth(period.month) : `${previousWindow.from.toISOString().slice(0, 10)} → ${previousWindow.to.toISOString().slice(0, 10)}`, figures: headlineOf(before.report) },
    baseline: request.baseline ?? null,
  };
  const api = (request.apiUrl ?? "http://localhost:3000").replace(/\/$/, "");
  const scope = "month" in period ? `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}` : `days=${period.days}`;
  const link = (figure: string) => `${api}/api/dora/evidence?figure=${figure}&repo=${encodeURIComponent(repo)}&${scope}`;
  return {
    repo,
    label: "month" in period ? period.month : `${period.days}d`,
    window: { from: measured.report.window.from, to: measured.report.window.to },
    method: measured.method,
    asOf: measured.asOf.toISOString(),
    figures: measured.report,
    slowestChanges,
    incidents,
    weeks,
    trend,
    environments: request.environments && request.environments.length > 0 ? [...request.environments] : null,
    evidenceLinks: {
      deployment_frequency: link("deployment_frequency"),
      lead_time: link("lead_time"),
      change_failure_rate: link("change_failure_rate"),
      time_to_restore: link("time_to_restore"),
      rework_rate: link("rework_rate"),
    },
  };
}
