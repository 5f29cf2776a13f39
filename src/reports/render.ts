// A DORA report as Markdown (English or Spanish) or JSON. Pure: everything
// shown is in the ReportContent built from the measurer (src/reports/build.ts).
// Charts are Mermaid xychart-beta blocks, which GitHub renders.
import { REPORT_LOCALES } from "../config/reports-config.js";
import type { ReportContent } from "./build.js";

export type ReportLocale = (typeof REPORT_LOCALES)[number];
export { REPORT_LOCALES };

const TEXT = {
  en: {
    title: (label: string) => `DORA report ${label}`,
    window: "Window",
    measured: "Measured",
    metrics: "Metrics",
    metric: "Metric",
    value: "Value",
    level: "Level",
    evidence: "Evidence",
    deploymentFrequency: "Deployment frequency",
    leadTime: "Lead time for changes (median)",
    changeFailureRate: "Change failure rate",
    timeToRestore: "Time to restore (median)",
    reworkRate: "Rework rate",
    perWeek: (perWeek: string, deployments: number) => `${perWeek}/week (${deployments} deployments)`,
    weekUnit: "week",
    methods: { exact: "exact, from the records", rollup: "from the daily rollups" },
    targets: "Targets",
    target: "Target",
    actual: "Actual",
    result: "Result",
    pass: "pass",
    fail: "fail",
    noData: "no data",
    environments: "Per environment",
    environment: "Environment",
    deployments: "Deployments",
    slowest: "Ten slowest changes",
    change: "Change",
    hours: "Lead time (h)",
    noChanges: "No changes measured in this period.",
    incidents: "Incidents",
    incident: "Incident",
    opened: "Opened",
    restored: "Restored after (h)",
    open: "open",
    noIncidents: "No incidents in this period.",
    charts: "Charts",
    deploymentsPerWeek: "Deployments per week",
    leadTimePerWeek: "Lead-time median per week (hours)",
    levels: { elite: "elite", high: "high", medium: "medium", low: "low" },
    trend: "Trend",
    thisPeriod: "This period",
    previous: (label: string) => `Previous (${label})`,
    baseline: (label: string) => `Baseline (${label})`,
    delta: "Change",
    noBaseline: "No baseline yet: the first report issue stores it.",
    deploymentsPerWeekShort: "Deployments per week",
  },
  es: {
    title: (label: string) => `Informe DORA ${label}`,
    window: "Periodo",
    measured: "Medido",
    metrics: "Métricas",
    metric: "Métrica",
    value: "Valor",
    level: "Nivel",
    evidence: "Evidencia",
    deploymentFrequency: "Frecuencia de despliegue",
    leadTime: "Tiempo de entrega de cambios (mediana)",
    changeFailureRate: "Tasa de fallos de cambios",
    timeToRestore: "Tiempo de restauración (mediana)",
    reworkRate: "Tasa de retrabajo",
    perWeek: (perWeek: string, deployments: number) => `${perWeek}/semana (${deployments} despliegues)`,
    weekUnit: "semana",
    methods: { exact: "exacto, de los registros", rollup: "de los agregados diarios" },
    targets: "Objetivos",
    target: "Objetivo",
    actual: "Real",
    result: "Resultado",
    pass: "cumple",
    fail: "no cumple",
    noData: "sin datos",
    environments: "Por entorno",
    environment: "Entorno",
    deployments: "Despliegues",
    slowest: "Los diez cambios más lentos",
    change: "Cambio",
    hours: "Tiempo de entrega (h)",
    noChanges: "No se midieron cambios en este periodo.",
    incidents: "Incidentes",
    incident: "Incidente",
    opened: "Abierto",
    restored: "Restaurado tras (h)",
    open: "abierto",
    noIncidents: "No hubo incidentes en este periodo.",
    charts: "Gráficos",
    deploymentsPerWeek: "Despliegues por semana",
    leadTimePerWeek: "Mediana del tiempo de entrega por semana (horas)",
    levels: { elite: "élite", high: "alto", medium: "medio", low: "bajo" },
    trend: "Evolución",
    thisPeriod: "Este periodo",
    previous: (label: string) => `Anterior (${label})`,
    baseline: (label: string) => `Línea base (${label})`,
    delta: "Cambio",
    noBaseline: "Aún no hay línea base: la guarda el primer informe publicado como issue.",
    deploymentsPerWeekShort: "Despliegues por semana",
  },
} as const;

/** The report's title, which also names its period: "DORA report 2026-11" / "Informe DORA 2026-11". */
export function reportTitle(content: Pick<ReportContent, "label">, locale: ReportLocale): string {
  return TEXT[locale].title(content.label);
}

function num(value: number | null, digits = 1): string | null {
  return value === null ? null : Number(value.toFixed(digits)).toString();
}

function pct(value: number | null): string | null {
  return value === null ? null : `${Number((value * 100).toFixed(1))}%`;
}

export function renderMarkdown(content: ReportContent, locale: ReportLocale): string {
  const t = TEXT[locale];
  const f = content.figures;
  const or = (text: string | null) => text ?? t.noData;
  const level = (value: keyof typeof t.levels | null) => (value ? t.levels[value] : "—");
  const hours = (value: number | null) => (value === null ? null : `${num(value)} h`);
  const lines: string[] = [];
  lines.push(`# ${reportTitle(content, locale)}: ${content.repo}`, "");
  lines.push(`${t.window}: ${content.window.from} → ${content.window.to} · ${t.measured}: ${t.methods[content.method]}, ${content.asOf}`, "");

  lines.push(`## ${t.metrics}`, "", `| ${t.metric} | ${t.value} | ${t.level} | ${t.evidence} |`, "|---|---|---|---|");
  const links = content.evidenceLinks;
  lines.push(`| ${t.deploymentFrequency} | ${t.perWeek(num(f.deployment_frequency.per_week, 2)!, f.deployment_frequency.deployments)} | ${level(f.classification.deployment_frequency)} | [API](${links.deployment_frequency}) |`);
  lines.push(`| ${t.leadTime} | ${or(hours(f.lead_time_hours.median))} | ${level(f.classification.lead_time)} | [API](${links.lead_time}) |`);
  lines.push(`| ${t.changeFailureRate} | ${or(pct(f.change_failure_rate))} | ${level(f.classification.change_failure_rate)} | [API](${links.change_failure_rate}) |`);
  lines.push(`| ${t.timeToRestore} | ${or(hours(f.time_to_restore_hours.median))} | ${level(f.classification.time_to_restore)} | [API](${links.time_to_restore}) |`);
  lines.push(`| ${t.reworkRate} | ${or(pct(f.rework_rate))} | — | [API](${links.rework_rate}) |`, "");

  lines.push(...trendLines(content, locale));

  lines.push(`## ${t.targets}`, "", `| ${t.metric} | ${t.target} | ${t.actual} | ${t.result} |`, "|---|---|---|---|");
  const result = (met: boolean | null) => (met === null ? t.noData : met ? `✅ ${t.pass}` : `❌ ${t.fail}`);
  const { targets } = f;
  lines.push(`| ${t.deploymentFrequency} | ≥ ${num(targets.deployment_frequency.target, 2)}/${t.weekUnit} | ${or(num(targets.deployment_frequency.actual, 2))} | ${result(targets.deployment_frequency.met)} |`);
  lines.push(`| ${t.leadTime} | < ${num(targets.lead_time_hours.target)} h | ${or(hours(targets.lead_time_hours.actual))} | ${result(targets.lead_time_hours.met)} |`);
  lines.push(`| ${t.changeFailureRate} | < ${pct(targets.change_failure_rate.target)} | ${or(pct(targets.change_failure_rate.actual))} | ${result(targets.change_failure_rate.met)} |`);
  lines.push(`| ${t.timeToRestore} | < ${num(targets.time_to_restore_hours.target)} h | ${or(hours(targets.time_to_restore_hours.actual))} | ${result(targets.time_to_restore_hours.met)} |`, "");

  lines.push(`## ${t.environments}`, "", `| ${t.environment} | ${t.deployments} | ${t.leadTime} | ${t.changeFailureRate} | ${t.timeToRestore} | ${t.reworkRate} |`, "|---|---|---|---|---|---|");
  const shown = content.environments;
  for (const [name, env] of Object.entries(f.environments).filter(([name]) => shown === null || shown.includes(name))) {
    lines.push(`| ${name} | ${env.deployment_frequency.deployments} | ${or(hours(env.lead_time_hours.median))} | ${or(pct(env.change_failure_rate))} | ${or(hours(env.time_to_restore_hours.median))} | ${or(pct(env.rework_rate))} |`);
  }
  lines.push("");

  lines.push(`## ${t.slowest}`, "");
  if (content.slowestChanges.length === 0) lines.push(t.noChanges, "");
  else {
    lines.push(`| ${t.change} | ${t.hours} |`, "|---|---|");
    for (const change of content.slowestChanges) {
      const name = change.pullRequest ? `[#${change.pullRequest.number}](${change.pullRequest.url}) ${escapeCell(change.message)}` : `\`${change.sha.slice(0, 7)}\` ${escapeCell(change.message)}`;
      lines.push(`| ${name} | ${num(change.leadTimeHours)} |`);
    }
    lines.push("");
  }

  lines.push(`## ${t.incidents}`, "");
  if (content.incidents.length === 0) lines.push(t.noIncidents, "");
  else {
    lines.push(`| ${t.incident} | ${t.opened} | ${t.restored} |`, "|---|---|---|");
    for (const incident of content.incidents) {
      lines.push(`| [#${incident.number}](${incident.url}) ${escapeCell(incident.title)} | ${incident.openedAt} | ${incident.restoreHours === null ? t.open : num(incident.restoreHours)} |`);
    }
    lines.push("");
  }

  lines.push(`## ${t.charts}`, "");
  const axis = content.weeks.map((week) => `"${week.from.slice(5)}"`).join(", ");
  const chart = (title: string, kind: "bar" | "line", values: number[]) => ["```mermaid", "xychart-beta", `    title "${title}"`, `    x-axis [${axis}]`, `    ${kind} [${values.join(", ")}]`, "```", ""];
  lines.push(...chart(t.deploymentsPerWeek, "bar", content.weeks.map((week) => week.deployments)));
  lines.push(...chart(t.leadTimePerWeek, "line", content.weeks.map((week) => Number(num(week.leadTimeMedianHours ?? 0)))));
  return `${lines.join("\n").trimEnd()}\n`;
}

type Headline = ReportContent["trend"]["current"];

/** One line per headline figure: how it is shown, and how a difference of it is shown. */
const HEADLINE_ROWS: ReadonlyArray<{ key: keyof Headline; label: (t: (typeof TEXT)[ReportLocale]) => string; show: (value: number) => string; diff: (delta: number) => string }> = [
  { key: "deployments_per_week", label: (t) => t.deploymentsPerWeekShort, show: (value) => num(value, 2)!, diff: (delta) => signed(delta, 2, "") },
  { key: "lead_time_median_hours", label: (t) => t.leadTime, show: (value) => `${num(value)} h`, diff: (delta) => signed(delta, 1, " h") },
  { key: "change_failure_rate", label: (t) => t.changeFailureRate, show: (value) => pct(value)!, diff: (delta) => signed(delta * 100, 1, " pp") },
  { key: "time_to_restore_median_hours", label: (t) => t.timeToRestore, show: (value) => `${num(value)} h`, diff: (delta) => signed(delta, 1, " h") },
  { key: "rework_rate", label: (t) => t.reworkRate, show: (value) => pct(value)!, diff: (delta) => signed(delta * 100, 1, " pp") },
];

function signed(value: number, digits: number, unit: string): string {
  const rounded = Number(value.toFixed(digits));
  return `${rounded > 0 ? "+" : rounded < 0 ? "−" : "±"}${Math.abs(rounded)}${unit}`;
}

/** The period against the one before and against the team's baseline. */
function trendLines(content: ReportContent, locale: ReportLocale): string[] {
  const t = TEXT[locale];
  const { current, previous, baseline } = content.trend;
  const header = [t.metric, t.thisPeriod, t.previous(previous.label), t.delta, ...(baseline ? [t.baseline(baseline.period), t.delta] : [])];
  const lines = [`## ${t.trend}`, "", `| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of HEADLINE_ROWS) {
    const now = current[row.key];
    const cell = (value: number | null) => (value === null ? t.noData : row.show(value));
    const delta = (other: number | null) => (now === null || other === null ? "—" : row.diff(now - other));
    const cells = [row.label(t), cell(now), cell(previous.figures[row.key]), delta(previous.figures[row.key])];
    if (baseline) cells.push(cell(baseline.figures[row.key]), delta(baseline.figures[row.key]));
    lines.push(`| ${cells.join(" | ")} |`);
  }
  lines.push("");
  if (!baseline) lines.push(t.noBaseline, "");
  return lines;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The report as JSON: the same content, figures in the API's names. */
export function renderJson(content: ReportContent, locale: ReportLocale): string {
  return `${JSON.stringify(
    {
      title: reportTitle(content, locale),
      repo: content.repo,
      period: content.label,
      window: content.window,
      method: content.method,
      as_of: content.asOf,
      dora: content.figures,
      slowest_changes: content.slowestChanges.map((change) => ({ sha: change.sha, lead_time_hours: change.leadTimeHours, pull_request: change.pullRequest, message: change.message })),
      incidents: content.incidents.map((incident) => ({ number: incident.number, title: incident.title, url: incident.url, opened_at: incident.openedAt, closed_at: incident.closedAt, restore_hours: incident.restoreHours })),
      weeks: content.weeks.map((week) => ({ from: week.from, deployments: week.deployments, lead_time_median_hours: week.leadTimeMedianHours })),
      trend: { current: content.trend.current, previous: content.trend.previous, baseline: content.trend.baseline },
      evidence: content.evidenceLinks,
    },
    null,
    2,
  )}\n`;
}
