// Charts as server-side SVG, pure functions of their points: a bar chart and
// a line chart with one or more series. Accessible: role="img", a <title>
// and a <desc> that states every value, so a screen reader gets the numbers
// the picture shows. No inline style (the CSP forbids it): colours come from
// classes in dashboard.css.
import { html } from "./html.js";
import type { Html } from "./html.js";

export interface ChartPoint {
  label: string;
  /** null: no value for this label (drawn as a gap). */
  value: number | null;
}

export interface ChartSeries {
  name: string;
  /** A CSS class of dashboard.css: series-a, series-b. */
  className: string;
  points: ChartPoint[];
}

const WIDTH = 640;
const HEIGHT = 220;
const PADDING = { top: 16, right: 12, bottom: 36, left: 44 };

function niceMax(values: number[]): number {
  const max = Math.max(0, ...values);
  if (max === 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / magnitude) * magnitude;
}

/** Coordinates to 0.01 px: no float noise such as 408.79999999999995 in the markup. */
const px = (value: number) => Math.round(value * 100) / 100;

function roundForText(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function describe(series: ChartSeries[], unit: string): string {
  return series
    .map((line) => `${line.name}: ${line.points.map((point) => `${point.label} ${point.value === null ? "-" : `${roundForText(point.value)}${unit}`}`).join(", ")}`)
    .join("; ");
}

function axes(max: number, labels: string[], step: number, unit: string): Html {
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const ticks = [0, max / 2, max];
  return html`<g class="axis">
    ${ticks.map((tick) => {
      const y = px(PADDING.top + plotHeight - (tick / max) * plotHeight);
      return html`<line x1="${PADDING.left}" x2="${WIDTH - PADDING.right}" y1="${y}" y2="${y}" class="grid"/><text x="${PADDING.left - 4}" y="${y + 4}" text-anchor="end">${roundForText(tick)}${unit}</text>`;
    })}
    ${labels.map((label, index) =>
      // At most about 12 labels, so they do not overlap.
      index % Math.max(1, Math.ceil(labels.length / 12)) === 0
        ? html`<text x="${px(PADDING.left + step * index + step / 2)}" y="${HEIGHT - PADDING.bottom + 16}" text-anchor="middle">${label}</text>`
        : "",
    )}
  </g>`;
}

export function barChart(title: string, points: ChartPoint[], unit = ""): Html {
  const max = niceMax(points.map((point) => point.value ?? 0));
  const plotWidth = WIDTH - PADDING.left - PADDING.right;
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const step = plotWidth / Math.max(1, points.length);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${chartId(title)}-t ${chartId(title)}-d" xmlns="http://www.w3.org/2000/svg">
    <title id="${chartId(title)}-t">${title}</title>
    <desc id="${chartId(title)}-d">${describe([{ name: title, className: "", points }], unit)}</desc>
    ${axes(max, points.map((point) => point.label), step, unit)}
    ${points.map((point, index) => {
      if (point.value === null) return "";
      const barHeight = (point.value / max) * plotHeight;
      return html`<rect class="bar" x="${px(PADDING.left + step * index + step * 0.15)}" y="${px(PADDING.top + plotHeight - barHeight)}" width="${px(step * 0.7)}" height="${px(barHeight)}"><title>${point.label}: ${roundForText(point.value)}${unit}</title></rect>`;
    })}
  </svg>`;
}

export function lineChart(title: string, series: ChartSeries[], unit = ""): Html {
  const labels = series[0]?.points.map((point) => point.label) ?? [];
  const max = niceMax(series.flatMap((line) => line.points.map((point) => point.value ?? 0)));
  const plotWidth = WIDTH - PADDING.left - PADDING.right;
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const step = plotWidth / Math.max(1, labels.length);
  const x = (index: number) => px(PADDING.left + step * index + step / 2);
  const y = (value: number) => px(PADDING.top + plotHeight - (value / max) * plotHeight);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${chartId(title)}-t ${chartId(title)}-d" xmlns="http://www.w3.org/2000/svg">
    <title id="${chartId(title)}-t">${title}</title>
    <desc id="${chartId(title)}-d">${describe(series, unit)}</desc>
    ${axes(max, labels, step, unit)}
    ${series.map((line) => {
      // A gap (no value) ends a stroke; the next value starts a new one ("M").
      let path = "";
      line.points.forEach((point, index) => {
        if (point.value === null) return;
        path += `${index === 0 || line.points[index - 1]?.value === null ? "M" : "L"}${x(index)},${y(point.value)} `;
      });
      return html`<g class="${line.className}"><path d="${path.trim()}" fill="none"/>${line.points.map((point, index) =>
        point.value === null ? "" : html`<circle cx="${x(index)}" cy="${y(point.value)}" r="3"><title>${line.name} ${point.label}: ${roundForText(point.value)}${unit}</title></circle>`,
      )}</g>`;
    })}
    ${series.map((line, index) => html`<text class="legend ${line.className}" x="${PADDING.left + index * 120}" y="${HEIGHT - 4}">${line.name}</text>`)}
  </svg>`;
}

function chartId(title: string): string {
  return `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}
