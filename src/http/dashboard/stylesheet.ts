// The dashboard's one stylesheet, served at /dashboard/dashboard.css (the CSP
// allows styles from 'self' only, no inline style). Readable on a phone:
// one column under 40em, tables scroll sideways inside their box.
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0969da; --good: #1a7f37; --bad: #cf222e; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .5em 1.5em; align-items: center; padding: .75em 1em; background: var(--panel); border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: 1em; flex-wrap: wrap; }
header .languages { margin-left: auto; gap: .5em; }
.brand { font-weight: 700; color: var(--ink); text-decoration: none; }
a { color: var(--accent); }
main { padding: 1em; max-width: 72em; margin: 0 auto; }
h1 { font-size: 1.5em; margin: .25em 0 .5em; overflow-wrap: anywhere; }
h2 { font-size: 1.2em; margin-top: 1.5em; }
.subtitle { color: var(--muted); }
.sign-out { display: flex; gap: .5em; align-items: center; }
button, select, input { font: inherit; padding: .3em .6em; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); }
button { cursor: pointer; background: var(--panel); }
button[aria-pressed="true"] { background: var(--accent); color: #fff; border-color: var(--accent); }
.button { display: inline-block; padding: .6em 1.2em; border-radius: 6px; background: var(--ink); color: #fff; text-decoration: none; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
thead th { background: var(--panel); }
.repositories { list-style: none; padding: 0; display: grid; gap: .5em; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); }
.repositories li { border: 1px solid var(--line); border-radius: 6px; padding: .75em; }
.level { font-weight: 600; }
.level-elite, .level-high, .met, .better, .ok { color: var(--good); }
.level-low, .missed, .worse, .error { color: var(--bad); }
.charts { display: grid; gap: 1em; grid-template-columns: repeat(auto-fit, minmax(20em, 1fr)); }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5em; }
.chart { width: 100%; height: auto; }
.chart text { font-size: 11px; fill: var(--muted); }
.chart .grid { stroke: var(--line); }
.chart .bar { fill: var(--accent); }
.chart .series-a path { stroke: var(--accent); stroke-width: 2; }
.chart .series-a circle, .chart text.series-a { fill: var(--accent); }
.chart .series-b path { stroke: #bf8700; stroke-width: 2; stroke-dasharray: 4 3; }
.chart .series-b circle, .chart text.series-b { fill: #bf8700; }
.filters { display: flex; flex-wrap: wrap; gap: .75em; align-items: end; }
.filters label { display: flex; flex-direction: column; font-size: .9em; color: var(--muted); }
.pager { display: flex; gap: 1em; align-items: center; margin-top: 1em; }
.counts { display: flex; flex-wrap: wrap; gap: 1em; }
.counts div { border: 1px solid var(--line); border-radius: 6px; padding: .5em 1em; }
.counts dt { color: var(--muted); font-size: .9em; }
.counts dd { margin: 0; font-size: 1.4em; font-weight: 600; }
@media (max-width: 40em) {
  header .languages { margin-left: 0; }
  .charts { grid-template-columns: 1fr; }
  main { padding: .75em; }
}
`;
