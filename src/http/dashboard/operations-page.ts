// Operations: the webhook inbox's backlog and failures, the recent check
// runs of the user's repositories (from the audit log) and the scheduled
// jobs' last runs.
import type { InboxBacklogCounts } from "../../inbox/inbox-backlog.js";
import type { JobStatus } from "../../jobs/scheduler.js";
import type { AuditEntry } from "../../store/audit-log.js";
import { html } from "./html.js";
import type { Html } from "./html.js";
import { formatDate, formatNumber, page } from "./layout.js";
import type { PageContext } from "./layout.js";

export interface OperationsData {
  inbox: InboxBacklogCounts;
  checkRuns: AuditEntry[];
  jobs: JobStatus[];
}

function publishedRuns(entry: AuditEntry): Array<{ check: string; conclusion: string }> {
  const runs = (entry.details as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) return [];
  return runs.map((run: { check?: unknown; conclusion?: unknown }) => ({ check: String(run.check ?? ""), conclusion: String(run.conclusion ?? "") }));
}

export function operationsPage(context: PageContext, data: OperationsData): Html {
  const { t } = context;
  const body = html`<h2>${t.inbox}</h2>
<dl class="counts">
<div><dt>${t.pending}</dt><dd data-count="pending">${data.inbox.pending}</dd></div>
<div><dt>processing</dt><dd data-count="processing">${data.inbox.processing}</dd></div>
<div><dt>${t.failedDeliveries}</dt><dd data-count="failed">${data.inbox.failed}</dd></div>
<div><dt>${t.oldestPending}</dt><dd>${data.inbox.oldestPendingSeconds === null ? "–" : `${formatNumber(data.inbox.oldestPendingSeconds, 0)} s`}</dd></div>
</dl>
<h2>${t.recentCheckRuns}</h2>
${data.checkRuns.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-scroll"><table><thead><tr><th scope="col">${t.at}</th><th scope="col">${t.target_}</th><th scope="col">check</th><th scope="col">${t.conclusion}</th></tr></thead><tbody>${data.checkRuns.flatMap((entry) =>
        publishedRuns(entry).map((run) => html`<tr><td>${formatDate(entry.at)}</td><td>${entry.target}</td><td>${run.check}</td><td>${run.conclusion}</td></tr>`),
      )}</tbody></table></div>`}
<h2>${t.jobs}</h2>
${data.jobs.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-scroll"><table><thead><tr><th scope="col">${t.job}</th><th scope="col">${t.lastRun}</th><th scope="col">${t.outcome}</th><th scope="col">${t.nextRun}</th></tr></thead><tbody>${data.jobs.map(
        (job) => html`<tr><td>${job.name}</td><td>${job.lastRun ? formatDate(job.lastRun.startedAt) : t.never}</td><td>${job.lastRun ? job.lastRun.status : ""}${job.lastRun?.error ? html` <span class="error">${job.lastRun.error}</span>` : ""}</td><td>${formatDate(job.nextRun)}</td></tr>`,
      )}</tbody></table></div>`}`;
  return page(context, t.operations, body);
}
