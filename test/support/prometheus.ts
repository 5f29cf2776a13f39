// Scrapes /metrics from a running service and reads it the way Prometheus
// does: parsed from the text exposition, never matched as strings.
//
// parse-prometheus-text-format folds every series of a histogram into one and
// drops their labels (it only handles unlabelled histograms), so each scrape
// is parsed twice: as served, for the families and their types, and with the
// histograms' TYPE lines made untyped, so that their _bucket, _sum and _count
// series come out as plain labelled samples.
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { PrometheusFamily, PrometheusSample } from "parse-prometheus-text-format";
import { expect } from "vitest";

export class Scrape {
  readonly families: PrometheusFamily[];
  private readonly series: PrometheusFamily[];

  constructor(text: string) {
    this.families = parsePrometheusTextFormat(text);
    this.series = parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, "# TYPE $1 untyped"));
  }

  family(name: string): PrometheusFamily {
    const family = this.families.find((candidate) => candidate.name === name);
    if (!family) throw new Error(`metric ${name} is not in the scrape`);
    return family;
  }

  /** The samples of `name` whose labels include `labels`. */
  samples(name: string, labels: Record<string, string> = {}): PrometheusSample[] {
    return this.family(name).metrics.filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
  }

  /** The value of a counter or gauge with exactly these labels among others; 0 when no such series exists yet. */
  value(name: string, labels: Record<string, string> = {}): number {
    const [sample, ...others] = this.samples(name, labels);
    if (others.length > 0) throw new Error(`${name} ${JSON.stringify(labels)} matches ${others.length + 1} series`);
    return sample ? Number(sample.value) : 0;
  }

  /** Observations of a histogram, summed over the series whose labels include `labels`; 0 when none yet. */
  count(name: string, labels: Record<string, string> = {}): number {
    expect(this.family(name).type).toBe("HISTOGRAM");
    const matching = this.countSeries(name).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
    return matching.reduce((sum, sample) => sum + Number(sample.value), 0);
  }

  /** The _count samples of a histogram: each series comes out as a family of its own, since a series' buckets and sum sit between them. */
  private countSeries(name: string): PrometheusSample[] {
    return this.series.filter((family) => family.name === `${name}_count`).flatMap((family) => family.metrics);
  }

  /** Every value one label takes across the series of `name` (a histogram: of its _count series). */
  labelValues(name: string, label: string): string[] {
    const samples = this.family(name).type === "HISTOGRAM" ? this.countSeries(name) : this.family(name).metrics;
    return [...new Set(samples.map((sample) => sample.labels?.[label]).filter((value): value is string => value !== undefined))].sort();
  }
}

export async function scrape(baseUrl: string, token?: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(text);
}
