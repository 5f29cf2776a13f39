import { describe, expect, it } from "vitest";
import { barChart, lineChart } from "../../../src/http/dashboard/svg-charts.js";

describe("SVG charts", () => {
  it("a bar chart is an accessible image whose description states every value, with one bar per value", () => {
    const svg = barChart("Deployments per week", [
      { label: "2026-W01", value: 2 },
      { label: "2026-W02", value: 0 },
      { label: "2026-W03", value: null },
      { label: "2026-W04", value: 5 },
    ]).text;
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 640 220" role="img" aria-labelledby="chart-deployments-per-week-t chart-deployments-per-week-d"/);
    expect(svg).toContain("<title id=\"chart-deployments-per-week-t\">Deployments per week</title>");
    expect(svg).toContain("Deployments per week: 2026-W01 2, 2026-W02 0, 2026-W03 -, 2026-W04 5");
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg).not.toContain("style=");
  });

  it("the tallest bar reaches the top of a rounded scale: 5 of 5 fills the plot's 168 px, 70 % of its 584 px slot wide", () => {
    const svg = barChart("x", [{ label: "a", value: 5 }]).text;
    expect(svg).toContain('<rect class="bar" x="131.6" y="16" width="408.8" height="168">');
  });

  it("a line chart breaks its path at a gap and escapes series names", () => {
    const svg = lineChart("Lead time", [
      { name: "<median>", className: "series-a", points: [{ label: "a", value: 1 }, { label: "b", value: null }, { label: "c", value: 3 }, { label: "d", value: 4 }] },
    ]).text;
    const path = /<path d="([^"]*)"/.exec(svg)![1]!;
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path.match(/L/g)).toHaveLength(1);
    expect(svg).toContain("&lt;median&gt;");
    expect(svg).not.toContain("<median>");
  });

  it("an all-zero or empty chart still draws its axes", () => {
    expect(barChart("empty", []).text).toContain('class="axis"');
    expect(lineChart("zero", [{ name: "m", className: "series-a", points: [{ label: "a", value: 0 }] }]).text).toContain('<circle cx="336" cy="184"');
  });
});
