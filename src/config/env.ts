// The process configuration: every environment variable iact-bot reads,
// validated once at start. A bad value is reported together with every other
// problem in one message, so a new user fixes them all in one go.
//
// The README's configuration table and .env.example list these same names;
// test/config/env.test.ts keeps the three in step.
import { readFileSync } from "node:fs";
import os from "node:os";
import { z } from "zod";
import { cassandraTlsFromEnv } from "./cassandra-tls.js";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
// Not trimmed: a PEM key ends with a newline that belongs to it.
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value : undefined));

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // Probot's own variables.
    APP_ID: optionalText.pipe(z.string().regex(/^\d+$/, "must be the numeric App ID").optional()),
    PRIVATE_KEY: optionalText,
    PRIVATE_KEY_PATH: optionalText,
    WEBHOOK_SECRET: optionalText,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default("localhost"),
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
    GHE_HOST: optionalText.pipe(
      z
        .string()
        .regex(/^[^/:\s]+(:\d+)?$/, "must be a host name such as github.example.com (no scheme, no path)")
        .optional(),
    ),
    GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
    WEBHOOK_PROXY_URL: optionalText.pipe(z.url("must be a URL such as https://smee.io/abc").optional()),
    // Storage.
    DATABASE_URL: z
      .string({ error: "is required (mysql://user:password@host:port/database)" })
      .regex(/^(mysql|mariadb):\/\/[^/]+\/[^/?]+/, "must look like mysql://user:password@host:port/database"),
    // The webhook inbox.
    // "false" runs a web-only replica: it stores deliveries, others process them.
    IACT_WORKER_ENABLED: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
    IACT_WORKER_CONCURRENCY: positiveInt(4),
    IACT_WORKER_BATCH_SIZE: positiveInt(250),
    IACT_CHECKS_ENABLED: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
    IACT_WORKER_POLL_MS: positiveInt(500),
    IACT_INBOX_MAX_ATTEMPTS: positiveInt(8),
    IACT_INBOX_LEASE_SECONDS: positiveInt(300),
    IACT_INSTANCE_ID: z.string().default(`${os.hostname()}-${process.pid}`),
    // Scheduled jobs (src/jobs/scheduler.ts). "false": this replica fires none (others do; each run happens once across replicas).
    IACT_SCHEDULER_ENABLED: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
    // How long a job run's lease lasts before another replica may take it over; renewed while the run goes on.
    IACT_JOB_LEASE_SECONDS: positiveInt(300),
    // Maintenance jobs (src/jobs/maintenance.ts): where the daily backup is written and how long files and processed deliveries are kept.
    IACT_BACKUP_DIR: z.string().min(1).default("backups"),
    IACT_BACKUP_RETENTION_DAYS: positiveInt(30),
    IACT_INBOX_RETENTION_DAYS: positiveInt(30),
    // The HTTP API.
    IACT_API_MAX_BODY_BYTES: positiveInt(1_048_576),
    IACT_LOG_BUFFER_LINES: positiveInt(10_000),
    // Log lines also go to this file when set (e.g. /var/log/iact/iact-bot.log), rolled by size as the plan asks.
    IACT_LOG_FILE: optionalText,
    IACT_LOG_FILE_SIZE: z
      .string()
      .regex(/^\d+[kmg]$/, "must be a size such as 100m (k, m or g)")
      .default("100m"),
    IACT_LOG_FILE_COUNT: positiveInt(10),
    // Prometheus /metrics (src/http/metrics-endpoint.ts). A token, when set, is required as a bearer token.
    METRICS_TOKEN: optionalText.pipe(z.string().min(16, "must be at least 16 characters (e.g. openssl rand -hex 32)").optional()),
    // Serve /metrics on this port only (not on PORT); 0 picks a free port.
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    // Where users reach this service's API (the evidence links of report issues); default http://localhost:PORT.
    IACT_PUBLIC_URL: z
      .url("must be the URL users reach this service at, such as https://iact.example.com")
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
    // The dashboard (src/http/dashboard/): the GitHub App's OAuth credentials (the manifest flow writes them); without both it is off.
    GITHUB_CLIENT_ID: optionalText,
    GITHUB_CLIENT_SECRET: optionalText,
    // Hours a dashboard sign-in lasts.
    IACT_DASHBOARD_SESSION_HOURS: positiveInt(8),
    // Minutes after which a dashboard session re-reads the user's repositories from GitHub (0: on every page).
    IACT_DASHBOARD_ACCESS_REFRESH_MINUTES: z.coerce.number().int().min(0).max(1_440).default(10),
    // "true" behind a TLS-terminating proxy: X-Forwarded-Proto: https marks dashboard cookies Secure.
    IACT_TRUST_PROXY: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
    // Repository checks: check-run summaries link each rule to <this URL>restrictions.md#<rule> or docs.md#<rule>.
    IACT_RULES_DOCS_URL: z
      .url("must be the URL of a folder such as https://github.com/iact-bot/iact-bot/blob/main/docs/rules/")
      .transform((url) => (url.endsWith("/") ? url : `${url}/`))
      .default("https://github.com/iact-bot/iact-bot/blob/main/docs/rules/"),
  })
  .superRefine((env, ctx) => {
    if (env.PRIVATE_KEY && env.PRIVATE_KEY_PATH) {
      ctx.addIssue({ code: "custom", path: ["PRIVATE_KEY_PATH"], message: "set PRIVATE_KEY or PRIVATE_KEY_PATH, not both" });
    }
    if (Boolean(env.GITHUB_CLIENT_ID) !== Boolean(env.GITHUB_CLIENT_SECRET)) {
      ctx.addIssue({ code: "custom", path: [env.GITHUB_CLIENT_ID ? "GITHUB_CLIENT_SECRET" : "GITHUB_CLIENT_ID"], message: "set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET together (the dashboard needs both)" });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({ code: "custom", path: ["METRICS_PORT"], message: "must differ from PORT (leave it unset to serve /metrics on PORT)" });
    }
  });

export type Env = z.output<typeof envSchema>;

export interface AppConfig {
  env: Env;
  /** App ID and private key: absent means "not registered yet" (setup flow). */
  github?: { appId: string; privateKey: string; webhookSecret: string };
  /** REST base URL for GitHub Enterprise Server; undefined means github.com. */
  githubBaseUrl?: string;
  /** Secret values that must never reach a log line. */
  secrets: string[];
  /**
   * The CASSANDRA_* variables when CASSANDRA_CONTACT_POINTS is set: the log
   * store is then Cassandra (src/logs/cassandra-client.ts reads them).
   * Undefined: the log store is MySQL's log_lines.
   */
  cassandraEnv?: Record<string, string>;
}

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (`APP_ID=` in a copied .env.example) means "not set".
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = envSchema.safeParse(present);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join(".") || "environment"}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const env = parsed.data;

  let privateKey = env.PRIVATE_KEY?.replace(/\\n/g, "\n");
  if (env.PRIVATE_KEY_PATH) {
    try {
      privateKey = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      problems.push(`PRIVATE_KEY_PATH: cannot read ${env.PRIVATE_KEY_PATH} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  if (privateKey && !/-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----/.test(privateKey)) {
    problems.push("PRIVATE_KEY: is not a PEM private key (expected -----BEGIN RSA PRIVATE KEY-----)");
  }
  const registered = Boolean(env.APP_ID || privateKey);
  if (registered) {
    if (!env.APP_ID) problems.push("APP_ID: is required when a private key is set");
    if (!privateKey && problems.every((problem) => !problem.startsWith("PRIVATE_KEY"))) {
      problems.push("PRIVATE_KEY or PRIVATE_KEY_PATH: is required when APP_ID is set");
    }
    if (!env.WEBHOOK_SECRET) problems.push("WEBHOOK_SECRET: is required: unsigned webhooks are refused");
  } else if (env.NODE_ENV === "production") {
    problems.push("APP_ID, PRIVATE_KEY: are required in production (run without NODE_ENV=production once to register the app)");
  }
  // TLS to Cassandra reads its certificate files now, so a missing one stops the start with the rest.
  if (present.CASSANDRA_CONTACT_POINTS) problems.push(...cassandraTlsFromEnv(present).problems);
  if (problems.length > 0) throw new ConfigError(problems);

  // Values shorter than 8 characters are left to the field-path redaction:
  // scrubbing a short password such as the development default "iact" from
  // every string would mangle ordinary log lines.
  const secrets = [privateKey, env.WEBHOOK_SECRET, env.METRICS_TOKEN, env.GITHUB_CLIENT_SECRET, decodeURIComponent(new URL(env.DATABASE_URL).password)].filter(
    (value): value is string => typeof value === "string" && value.length >= 8,
  );
  return {
    env,
    github:
      env.APP_ID && privateKey && env.WEBHOOK_SECRET
        ? { appId: env.APP_ID, privateKey, webhookSecret: env.WEBHOOK_SECRET }
        : undefined,
    githubBaseUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3` : undefined,
    secrets: [...secrets, ...(present.CASSANDRA_PASSWORD && present.CASSANDRA_PASSWORD.length >= 8 ? [present.CASSANDRA_PASSWORD] : [])],
    cassandraEnv: present.CASSANDRA_CONTACT_POINTS
      ? Object.fromEntries(Object.entries(present).filter((entry): entry is [string, string] => entry[0].startsWith("CASSANDRA_") && typeof entry[1] === "string"))
      : undefined,
  };
}
