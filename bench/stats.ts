// Latency summaries for the benchmarks (nearest-rank percentiles, in ms).
export function latencySummary(samplesMs: number[]): Record<string, number> {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    count: sorted.length,
    p50_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    p99_ms: round(at(0.99)),
    max_ms: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean_ms: round(sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)),
  };
}
