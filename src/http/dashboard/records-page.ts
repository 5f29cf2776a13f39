// The team's metric records (TASK-014): a read-only, paged list with filters
// by phase, decision and created date, and a search over cycle and feature ids.
import { TEAM_DECISIONS, TEAM_PHASES } from "../../store/team-metrics.js";
import type { TeamRecordFilter, TeamRecordPage } from "../../store/team-metric-pages.js";
import { html } from "./html.js";
import type { Html } from "./html.js";
import { format } from "./i18n.js";
import { formatDate, page } from "./layout.js";
import type { PageContext } from "./layout.js";

/** The filter as the form shows it back (dates as typed, yyyy-mm-dd). */
export interface RecordsFormValues {
  phase: string;
  decision: string;
  from: string;
  to: string;
  q: string;
}

export function recordsPage(context: PageContext, form: RecordsFormValues, result: TeamRecordPage): Html {
  const { t } = context;
  const option = (value: string, selected: string) => html`<option value="${value}"${value === selected ? html` selected` : ""}>${value}</option>`;
  const pageHref = (target: number) => {
    const query = new URLSearchParams(Object.entries(form).filter(([, value]) => value !== ""));
    query.set("page", String(target));
    return `/dashboard/records?${query.toString()}`;
  };
  const body = html`<form class="filters" method="get" action="/dashboard/records">
<label>${t.phase}<select name="phase"><option value="">${t.any}</option>${TEAM_PHASES.map((phase) => option(phase, form.phase))}</select></label>
<label>${t.decision}<select name="decision"><option value="">${t.any}</option>${TEAM_DECISIONS.map((decision) => option(decision, form.decision))}</select></label>
<label>${t.from}<input type="date" name="from" value="${form.from}"></label>
<label>${t.to}<input type="date" name="to" value="${form.to}"></label>
<label>${t.search}<input type="search" name="q" value="${form.q}" maxlength="50"></label>
<button type="submit">${t.filter}</button>
</form>
<div class="table-scroll"><table class="records">
<thead><tr><th scope="col">${t.cycleId}</th><th scope="col">${t.featureId}</th><th scope="col">${t.phase}</th><th scope="col">${t.decision}</th><th scope="col">${t.created}</th></tr></thead>
<tbody>${result.rows.map(
    (row) => html`<tr><td>${row.cycleId}</td><td>${row.featureId}</td><td>${row.phaseName}</td><td>${row.decision}</td><td>${formatDate(row.createdAt)}</td></tr>`,
  )}</tbody></table></div>
${result.rows.length === 0 ? html`<p>${t.none}</p>` : ""}
<nav class="pager" aria-label="${format(t.page, { page: result.page, pages: result.pages })}">
${result.page > 1 ? html`<a rel="prev" href="${pageHref(result.page - 1)}">${t.previous}</a>` : ""}
<span>${format(t.page, { page: result.page, pages: result.pages })} (${result.total})</span>
${result.page < result.pages ? html`<a rel="next" href="${pageHref(result.page + 1)}">${t.next}</a>` : ""}
</nav>`;
  return page(context, t.records, body);
}

export type { TeamRecordFilter };
