// Operations: the webhook inbox's backlog and failures, the recent check
// runs of the user's repositories (from the audit log), the scheduled
// jobs' last runs, and the service's health over the last day (the health
// snapshots).
import type { InboxBacklogCounts } from "../../inbox/inbox-backlog.js";
import type { JobStatus } from "../../jobs/scheduler.js";
import type { AuditEntry } from "../../store/audit-log.js";
import type { HealthSnapshotRecord } from "../../store/health-snapshots.js";
import { html } from "./html.js";
import type { Html } from "./html.js";
import { formatDate, formatNumber, page } from "./layout.js";
import type { PageContext } from "./layout.js";

export interface OperationsData {
  inbox: InboxBacklogCounts;
  checkRuns: AuditEntry[];
  jobs: JobStatus[];
  health: ComponentHealthSummary[];
}

/** One component (mysql, worker, log store...) over the snapshots read. */
export interface ComponentHealthSummary {
  component: string;
  latest: { ok: boolean; at: Date; instance: string; error?: string };
  healthy: number;
  snapshots: number;
}

/** Per component, from snapshots newest first: its latest state, and how many snapshots found it healthy. */
export function summariseHealth(newestFirst: readonly HealthSnapshotRecord[]): ComponentHealthSummary[] {
  const byComponent = new Map<string, ComponentHealthSummary>();
  for (const snapshot of newestFirst) {
    for (const [component, health] of Object.entries(snapshot.components)) {
      let summary = byComponent.get(component);
      if (!summary) {
        const error = typeof health.error === "string" ? health.error : undefined;
        summary = { component, latest: { ok: health.ok === true, at: snapshot.takenAt, instance: snapshot.instance, ...(error ? { error } : {}) }, healthy: 0, snapshots: 0 };
        byComponent.set(component, summary);
      }
      summary.snapshots += 1;
      if (health.ok === true) summary.healthy += 1;
    }
  }
  return [...byComponent.values()].sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
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
  return page(context, t.operations, html`${body}
<h2>${t.health}</h2>
${data.health.length === 0
    ? html`<p>${t.noSnapshots}</p>`
    : html`<div class="table-scroll"><table><thead><tr><th scope="col">${t.component}</th><th scope="col">${t.latest}</th><th scope="col">${t.healthyShare}</th></tr></thead><tbody>${data.health.map(
        (summary) => html`<tr data-component="${summary.component}"><td>${summary.component}</td><td><span class="${summary.latest.ok ? "ok" : "error"}">${summary.latest.ok ? t.healthy : t.unhealthy}</span> · ${formatDate(summary.latest.at)} · ${summary.latest.instance}${summary.latest.error ? html` <span class="error">${summary.latest.error}</span>` : ""}</td><td>${summary.healthy} / ${summary.snapshots}</td></tr>`,
      )}</tbody></table></div>`}`);
}
