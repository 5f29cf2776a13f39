// `npm run bench [-- name...]`: runs the benchmarks and prints one JSON
// document. Each benchmark is a module exporting an async function that
// returns its figures; they run one after another so they do not compete
// for the machine's two cores.
import os from "node:os";

type Bench = () => Promise<Record<string, unknown>>;

const benchmarks: Record<string, () => Promise<Bench>> = {
  "webhook-ack": async () => (await import("./webhook-ack.js")).benchWebhookAck,
  "docs-check": async () => (await import("./docs-check.js")).benchDocsCheck,
  ingest: async () => (await import("./ingest.js")).benchIngest,
  drain: async () => (await import("./drain.js")).benchDrain,
  "webhooks-to-metrics": async () => (await import("./webhooks-to-metrics.js")).benchWebhooksToMetrics,
  "restrictions-check": async () => (await import("./restrictions-check.js")).benchRestrictionsCheck,
  "file-limits": async () => (await import("./file-limits.js")).benchFileLimits,
  "coverage-reports": async () => (await import("./coverage-reports.js")).benchCoverageReports,
  "report-issues": async () => (await import("./report-issues.js")).benchReportIssues,
  dashboard: async () => (await import("./dashboard.js")).benchDashboard,
  logs: async () => (await import("./logs.js")).benchLogs,
  // Loads 1M deployments and 10M changes: several minutes. Last on purpose.
  "api-latency": async () => (await import("./api-latency.js")).benchApiLatency,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${Object.keys(benchmarks).join(", ")}`);
  process.exit(2);
}
const results: Record<string, unknown> = {};
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  const started = Date.now();
  try {
    const run = await benchmarks[name]!();
    results[name] = { ...(await run()), wall_seconds: Math.round((Date.now() - started) / 100) / 10 };
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
  console.error(`bench ${name}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}
console.log(
  JSON.stringify(
    { node: process.version, platform: `${os.type()} ${os.release()}`, cpus: os.cpus().length, at: new Date().toISOString(), results },
    null,
    2,
  ),
);
process.exit(Object.values(results).some((result) => (result as { error?: unknown }).error) ? 1 : 0);
