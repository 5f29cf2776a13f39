// A repository's or an installation's overview (the five figures, their classification, targets
// and trend, and three charts) and the evidence page of one figure. Every
// number comes from the service's measurer for the page's query, the query
// GET /api/dora/metrics answers: the figures are the API's, not a second
// computation. Each figure's cell carries its API value in data-value.
import type { Classification, DoraFigures, EvidenceChange, EvidenceDeployment, EvidenceFigure, EvidenceIncident, FigureEvidence, TargetResult } from "../../dora/index.js";
import { deploymentsPerWeek, failureRatePerMonth, leadTimePerWeek } from "./chart-series.js";
import { html } from "./html.js";
import type { Html } from "./html.js";
import { format, type Messages } from "./i18n.js";
import { formatDate, formatNumber, page } from "./layout.js";
import type { PageContext } from "./layout.js";
import { barChart, lineChart } from "./svg-charts.js";

/** The figures the overview shows, in order, and how each reads its report. */
interface FigureRow {
  figure: EvidenceFigure;
  label: (t: Messages) => string;
  value: (report: DoraFigures) => number | null;
  show: (report: DoraFigures, t: Messages) => string;
  classification?: (report: DoraFigures) => Classification;
  target?: (report: DoraFigures) => TargetResult;
  /** Whether a larger value is better (the trend's direction). */
  higherIsBetter: boolean;
  /** Formats a target or a value of this figure. */
  unit: (value: number | null) => string;
}

const percent = (fraction: number | null) => (fraction === null ? "–" : `${formatNumber(fraction * 100)} %`);
const hours = (value: number | null) => (value === null ? "–" : `${formatNumber(value)} h`);

export const FIGURE_ROWS: FigureRow[] = [
  {
    figure: "deployment_frequency",
    label: (t) => t.deploymentFrequency,
    value: (report) => report.deployment_frequency.per_week,
    show: (report, t) => `${formatNumber(report.deployment_frequency.per_week, 2)} ${t.perWeek} (${report.deployment_frequency.deployments} ${t.deployments})`,
    classification: (report) => report.classification.deployment_frequency,
    target: (report) => report.targets.deployment_frequency,
    higherIsBetter: true,
    unit: (value) => formatNumber(value, 2),
  },
  {
    figure: "lead_time",
    label: (t) => t.leadTime,
    value: (report) => report.lead_time_hours.median,
    show: (report, t) => `${hours(report.lead_time_hours.median)} ${t.median} · p90 ${hours(report.lead_time_hours.p90)}`,
    classification: (report) => report.classification.lead_time,
    target: (report) => report.targets.lead_time_hours,
    higherIsBetter: false,
    unit: hours,
  },
  {
    figure: "change_failure_rate",
    label: (t) => t.changeFailureRate,
    value: (report) => report.change_failure_rate,
    show: (report) => percent(report.change_failure_rate),
    classification: (report) => report.classification.change_failure_rate,
    target: (report) => report.targets.change_failure_rate,
    higherIsBetter: false,
    unit: percent,
  },
  {
    figure: "time_to_restore",
    label: (t) => t.timeToRestore,
    value: (report) => report.time_to_restore_hours.median,
    show: (report, t) => `${hours(report.time_to_restore_hours.median)} ${t.median}`,
    classification: (report) => report.classification.time_to_restore,
    target: (report) => report.targets.time_to_restore_hours,
    higherIsBetter: false,
    unit: hours,
  },
  {
    figure: "rework_rate",
    label: (t) => t.reworkRate,
    value: (report) => report.rework_rate,
    show: (report) => percent(report.rework_rate),
    higherIsBetter: false,
    unit: percent,
  },
];

/** What an overview measures: one repository, or every repository of an installation together. */
export type OverviewSubject = { repo: string; installationId: number } | { installationId: number; repo?: undefined };

export interface OverviewData {
  subject: OverviewSubject;
  days: number;
  report: DoraFigures;
  /** The period before, same length: the trend. */
  previous: DoraFigures;
  evidence: { deployments: FigureEvidence; leadTime: FigureEvidence; failures: FigureEvidence };
  window: { from: Date; to: Date };
}

export function repoPath(repo: string): string {
  return `/dashboard/repos/${repo.split("/").map(encodeURIComponent).join("/")}`;
}

export function installationPath(installationId: number): string {
  return `/dashboard/installations/${installationId}`;
}

/** The subject's overview page; its evidence pages are under it. */
export function subjectPath(subject: OverviewSubject): string {
  return subject.repo === undefined ? installationPath(subject.installationId) : repoPath(subject.repo);
}

function subjectName(subject: OverviewSubject, t: Messages): string {
  return subject.repo ?? `${t.installation} ${subject.installationId}`;
}

function trend(row: FigureRow, current: number | null, previous: number | null, t: Messages): Html {
  if (current === null || previous === null) return html`<span class="trend">–</span>`;
  if (current === previous) return html`<span class="trend same">→ ${t.same}</span>`;
  const better = current > previous === row.higherIsBetter;
  return html`<span class="trend ${better ? "better" : "worse"}">${current > previous ? "↑" : "↓"} ${better ? t.better : t.worse} (${row.unit(previous)})</span>`;
}

function targetCell(row: FigureRow, report: DoraFigures, t: Messages): Html {
  const result = row.target?.(report);
  if (!result) return html`–`;
  const verdict = result.met === null ? t.noData : result.met ? t.met : t.missed;
  return html`<span class="target ${result.met === null ? "" : result.met ? "met" : "missed"}">${row.unit(result.target)}: ${verdict}</span>`;
}

export function overviewPage(context: PageContext, data: OverviewData): Html {
  const { t } = context;
  const { report, previous } = data;
  const base = subjectPath(data.subject);
  const evidenceHref = (figure: EvidenceFigure) => `${base}/evidence/${figure}?days=${data.days}`;
  const lead = leadTimePerWeek(data.evidence.leadTime, data.window.from, data.window.to);
  const body = html`<p class="subtitle">${format(t.lastDays, { days: data.days })} · ${data.subject.repo === undefined ? t.allRepositoriesOfInstallation : `${t.installation} ${data.subject.installationId}`}</p>
<form class="period" method="get" action="${base}">${[30, 90, 180, 365].map((days) => html`<button name="days" value="${days}"${days === data.days ? html` aria-pressed="true"` : ""}>${days}</button>`)}</form>
<div class="table-scroll"><table class="figures">
<thead><tr><th scope="col">${t.metric}</th><th scope="col">${t.value}</th><th scope="col">${t.classification}</th><th scope="col">${t.target}</th><th scope="col">${t.trend}</th></tr></thead>
<tbody>${FIGURE_ROWS.map(
    (row) => html`<tr>
<th scope="row">${row.label(t)}</th>
<td><a class="figure" data-figure="${row.figure}" data-value="${JSON.stringify(row.value(report))}" href="${evidenceHref(row.figure)}">${row.show(report, t)}</a></td>
<td>${row.classification ? html`<span class="level level-${String(row.classification(report) ?? "none").toLowerCase()}">${row.classification(report) ?? t.noData}</span>` : "–"}</td>
<td>${targetCell(row, report, t)}</td>
<td>${trend(row, row.value(report), row.value(previous), t)}</td>
</tr>`,
  )}</tbody></table></div>
<section class="charts">
<figure>${barChart(t.deploymentsPerWeek, deploymentsPerWeek(data.evidence.deployments, data.window.from, data.window.to))}<figcaption><a href="${evidenceHref("deployment_frequency")}">${t.evidence}: ${t.deploymentsPerWeek}</a></figcaption></figure>
<figure>${lineChart(t.leadTimePerWeek, [
    { name: t.median, className: "series-a", points: lead.median },
    { name: "p90", className: "series-b", points: lead.p90 },
  ])}<figcaption><a href="${evidenceHref("lead_time")}">${t.evidence}: ${t.leadTime}</a></figcaption></figure>
<figure>${barChart(t.failureRatePerMonth, failureRatePerMonth(data.evidence.failures, data.window.from, data.window.to), "%")}<figcaption><a href="${evidenceHref("change_failure_rate")}">${t.evidence}: ${t.changeFailureRate}</a></figcaption></figure>
</section>`;
  return page(context, `${t.overview}: ${subjectName(data.subject, t)}`, body);
}

function deploymentsTable(entries: EvidenceDeployment[], t: Messages): Html {
  if (entries.length === 0) return html`<p>${t.none}</p>`;
  return html`<div class="table-scroll"><table><thead><tr><th scope="col">id</th><th scope="col">${t.environment}</th><th scope="col">sha</th><th scope="col">${t.deployedAt}</th><th scope="col">${t.failed}</th></tr></thead><tbody>${entries.map(
    ({ deployment, failure }) =>
      html`<tr><td>${deployment.id}</td><td>${deployment.environment}</td><td><code>${deployment.sha.slice(0, 12)}</code></td><td>${formatDate(deployment.deployedAt)}</td><td>${failure ? failure.reasons.join(", ") : ""}</td></tr>`,
  )}</tbody></table></div>`;
}

function changesTable(entries: EvidenceChange[], t: Messages): Html {
  if (entries.length === 0) return html`<p>${t.none}</p>`;
  return html`<div class="table-scroll"><table><thead><tr><th scope="col">sha</th><th scope="col">${t.message}</th><th scope="col">PR</th><th scope="col">${t.leadTimeHours}</th></tr></thead><tbody>${entries.map(
    ({ change, leadTimeHours }) =>
      html`<tr><td><code>${change.sha.slice(0, 12)}</code></td><td>${change.message.split("\n")[0] ?? ""}</td><td>${change.pullRequest ? `#${change.pullRequest.number}` : ""}</td><td>${formatNumber(leadTimeHours ?? null, 2)}</td></tr>`,
  )}</tbody></table></div>`;
}

function incidentsTable(entries: EvidenceIncident[], t: Messages): Html {
  if (entries.length === 0) return html`<p>${t.none}</p>`;
  return html`<div class="table-scroll"><table><thead><tr><th scope="col">#</th><th scope="col">${t.titleColumn}</th><th scope="col">${t.opened}</th><th scope="col">${t.closed}</th><th scope="col">${t.restoreHours}</th></tr></thead><tbody>${entries.map(
    ({ incident, restoreHours }) =>
      html`<tr><td>${incident.number}</td><td>${incident.title}</td><td>${formatDate(incident.openedAt)}</td><td>${formatDate(incident.closedAt)}</td><td>${formatNumber(restoreHours, 2)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function evidencePage(context: PageContext, subject: OverviewSubject, days: number, evidence: FigureEvidence): Html {
  const { t } = context;
  const row = FIGURE_ROWS.find((candidate) => candidate.figure === evidence.figure);
  const title = `${t.evidence}: ${row ? row.label(t) : evidence.figure} · ${subjectName(subject, t)}`;
  return page(
    context,
    title,
    html`<p class="subtitle"><a href="${subjectPath(subject)}?days=${days}">${t.overview}</a> · ${format(t.lastDays, { days })}</p>
<p>${t.value}: <strong class="figure" data-figure="${evidence.figure}" data-value="${JSON.stringify(evidence.value)}">${JSON.stringify(evidence.value)}</strong></p>
<h2>${t.deploymentsHeading} (${evidence.deployments.length})</h2>${deploymentsTable(evidence.deployments, t)}
<h2>${t.changes} (${evidence.changes.length})</h2>${changesTable(evidence.changes, t)}
<h2>${t.incidents} (${evidence.incidents.length})</h2>${incidentsTable(evidence.incidents, t)}`,
  );
}
