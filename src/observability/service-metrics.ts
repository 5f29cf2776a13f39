// The service's Prometheus metrics: one registry per service (not prom-client's
// global one), so tests and several services in one process never share or
// double-register a metric. Node's process metrics describe the process, not
// a service, so they live in one registry per process that every service's
// exposition includes: prom-client's collectors (a GC observer, an event-loop
// monitor) cannot be stopped, and one set per service would pile up. The rest of the code never sees prom-client: the
// wiring (src/service.ts) calls these methods from hooks, and the HTTP edge
// asks for the text exposition.
//
// Every label takes a bounded set of values: event names outside the known
// list become "other", GitHub endpoints are route templates, conclusions and
// outcomes are closed enums. No repository, sha, delivery id or free text.
import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the inbox holds right now; read from MySQL at scrape time. */
export interface InboxBacklog {
  pending: number;
  processing: number;
  /** Age of the oldest pending delivery, or null when none is pending. */
  oldestPendingSeconds: number | null;
}

export interface ServiceMetricsOptions {
  /** Event names that keep their own label value; anything else is counted as "other". */
  knownEvents: readonly string[];
  /** Reads the inbox backlog; may throw (MySQL down), which leaves the gauges at NaN. */
  readInboxBacklog: () => Promise<InboxBacklog>;
  log: Pick<Logger, "warn" | "info">;
}

/** What the webhook route answered a delivery. */
export type DeliveryAnswer = "stored" | "duplicate" | "refused" | "unavailable";
/** How one attempt of the handlers on a delivery ended. */
export type ProcessingOutcome = "done" | "failed";
export type JobOutcome = "succeeded" | "failed";

/** GitHub's check-run conclusions; anything else (a future value) is "other". */
const CHECK_RUN_CONCLUSIONS = new Set(["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required", "stale"]);

/** Seconds: a delivery takes milliseconds to minutes (a cold repository check). */
const PROCESSING_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Seconds: API answers are meant to be well under a second. */
const API_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const GITHUB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly knownEvents: ReadonlySet<string>;
  private readonly deliveries: Counter<"event" | "outcome">;
  private readonly processing: Histogram<"event" | "outcome">;
  private readonly githubRequests: Counter<"endpoint" | "status">;
  private readonly githubDuration: Histogram<"endpoint" | "status">;
  private readonly rateLimitRemaining: Gauge<"installation">;
  private readonly checkRuns: Counter<"conclusion">;
  private readonly apiDuration: Histogram<"method" | "route" | "status">;
  private readonly jobRuns: Counter<"job" | "outcome">;
  /** The last backlog read failed: warn once per outage, not on every scrape. */
  private backlogUnavailable = false;

  constructor(options: ServiceMetricsOptions) {
    this.knownEvents = new Set(options.knownEvents);
    const registers = [this.registry];
    this.deliveries = new Counter({
      name: "iact_webhook_deliveries_total",
      help: "Webhook deliveries by event and what became of them: received (every POST to the webhook route), stored, duplicate (a redelivery), refused (bad signature, headers or body: 4xx), unavailable (MySQL down: 503), rejected (stored, then refused by the payload check)",
      labelNames: ["event", "outcome"],
      registers,
    });
    this.processing = new Histogram({
      name: "iact_delivery_processing_seconds",
      help: "Time the handlers spent on one delivery attempt, by event and outcome (done, or failed: retried or kept as failed)",
      labelNames: ["event", "outcome"],
      buckets: PROCESSING_BUCKETS,
      registers,
    });
    const readBacklog = async (): Promise<InboxBacklog | undefined> => {
      try {
        const backlog = await options.readInboxBacklog();
        if (this.backlogUnavailable) options.log.info("inbox backlog readable again for /metrics");
        this.backlogUnavailable = false;
        return backlog;
      } catch (error) {
        if (!this.backlogUnavailable) options.log.warn({ err: error }, "cannot read the inbox backlog for /metrics; reporting NaN until MySQL answers");
        this.backlogUnavailable = true;
        return undefined;
      }
    };
    // Both gauges come from one query per scrape: the first collect reads it, the second reuses it.
    let pendingRead: Promise<InboxBacklog | undefined> | undefined;
    const backlogOnce = (): Promise<InboxBacklog | undefined> => {
      pendingRead ??= readBacklog().finally(() => setImmediate(() => (pendingRead = undefined)));
      return pendingRead;
    };
    new Gauge({
      name: "iact_inbox_deliveries",
      help: "Deliveries waiting in the inbox (pending) or being processed, read from MySQL at scrape time; NaN when MySQL does not answer",
      labelNames: ["status"],
      registers,
      async collect() {
        const backlog = await backlogOnce();
        this.set({ status: "pending" }, backlog ? backlog.pending : Number.NaN);
        this.set({ status: "processing" }, backlog ? backlog.processing : Number.NaN);
      },
    });
    new Gauge({
      name: "iact_inbox_oldest_pending_age_seconds",
      help: "Age of the oldest pending delivery (0 when none is pending); NaN when MySQL does not answer",
      registers,
      async collect() {
        const backlog = await backlogOnce();
        this.set(backlog ? (backlog.oldestPendingSeconds ?? 0) : Number.NaN);
      },
    });
    this.githubRequests = new Counter({
      name: "iact_github_requests_total",
      help: "GitHub API requests by endpoint (route template) and HTTP status (0: no answer)",
      labelNames: ["endpoint", "status"],
      registers,
    });
    this.githubDuration = new Histogram({
      name: "iact_github_request_duration_seconds",
      help: "GitHub API request duration by endpoint (route template) and HTTP status",
      labelNames: ["endpoint", "status"],
      buckets: GITHUB_BUCKETS,
      registers,
    });
    this.rateLimitRemaining = new Gauge({
      name: "iact_github_rate_limit_remaining",
      help: "x-ratelimit-remaining of the last GitHub answer, per installation (\"app\": the app's own JWT calls)",
      labelNames: ["installation"],
      registers,
    });
    this.checkRuns = new Counter({
      name: "iact_check_runs_completed_total",
      help: "Check runs completed on GitHub, by conclusion",
      labelNames: ["conclusion"],
      registers,
    });
    this.apiDuration = new Histogram({
      name: "iact_http_request_duration_seconds",
      help: "HTTP requests served, by method, route template and status",
      labelNames: ["method", "route", "status"],
      buckets: API_BUCKETS,
      registers,
    });
    this.jobRuns = new Counter({
      name: "iact_job_runs_total",
      help: "Scheduled job runs this replica carried out, by job and outcome",
      labelNames: ["job", "outcome"],
      registers,
    });
  }

  /** The event label: a known event name, else "other". */
  eventLabel(event: string | undefined): string {
    return event !== undefined && this.knownEvents.has(event) ? event : "other";
  }

  deliveryReceived(event: string | undefined): void {
    this.deliveries.inc({ event: this.eventLabel(event), outcome: "received" });
  }

  deliveryAnswered(event: string | undefined, answer: DeliveryAnswer): void {
    this.deliveries.inc({ event: this.eventLabel(event), outcome: answer });
  }

  deliveryProcessed(event: string, outcome: ProcessingOutcome, seconds: number): void {
    this.processing.observe({ event: this.eventLabel(event), outcome }, seconds);
  }

  /** A stored delivery whose payload failed the check: final, never handled. */
  deliveryRejected(event: string): void {
    this.deliveries.inc({ event: this.eventLabel(event), outcome: "rejected" });
  }

  githubRequest(endpoint: string, status: number, seconds: number): void {
    const labels = { endpoint, status: String(status) };
    this.githubRequests.inc(labels);
    this.githubDuration.observe(labels, seconds);
  }

  githubRateLimit(installation: number | "app", remaining: number): void {
    this.rateLimitRemaining.set({ installation: String(installation) }, remaining);
  }

  checkRunCompleted(conclusion: string): void {
    this.checkRuns.inc({ conclusion: CHECK_RUN_CONCLUSIONS.has(conclusion) ? conclusion : "other" });
  }

  apiRequest(method: string, route: string, status: number, seconds: number): void {
    this.apiDuration.observe({ method, route, status: String(status) }, seconds);
  }

  jobRun(job: string, outcome: JobOutcome): void {
    this.jobRuns.inc({ job, outcome });
  }

  /** The Prometheus text exposition of every metric, the process's included. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([this.registry, processRegistry()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}

let processMetrics: Registry | undefined;

/** Node's default metrics (CPU, memory, event loop, GC, handles), collected once per process. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
