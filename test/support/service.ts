// Starts the real service (HTTP server, inbox, worker, Probot) on a random
// port against the test database, with GitHub's API left to nock.
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import nock from "nock";
import pino from "pino";
import type { Logger } from "pino";
import { ProbotOctokit } from "probot";
import type { ApplicationFunction } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { loadConfig } from "../../src/config/env.js";
import { startService } from "../../src/service.js";
import type { RunningService } from "../../src/service.js";
import { TEST_DATABASE_URL, truncateAllTables } from "./database.js";
import { sendWebhook, TEST_APP_ID, TEST_PRIVATE_KEY, TEST_WEBHOOK_SECRET } from "./github-app.js";

/**
 * Probot's Octokit without retries or throttling, so a faked error surfaces
 * at once and writes are not spaced a second apart. A function, not an
 * object: Probot wraps this class with its own throttle options, which would
 * replace an object default wholesale.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
})) as typeof ProbotOctokit;

/** Backups a test service or CLI writes go here, never into the working tree. */
export const TEST_BACKUP_DIR = path.join(os.tmpdir(), `iact-bot-test-backups-${process.pid}`);

export function testEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    APP_ID: TEST_APP_ID,
    PRIVATE_KEY: TEST_PRIVATE_KEY,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    DATABASE_URL: TEST_DATABASE_URL,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL ?? "silent") as "silent",
    IACT_WORKER_POLL_MS: "50",
    IACT_INSTANCE_ID: `test-${process.pid}`,
    // Every start would catch up today's jobs (backup, cleanup, report issues, which call GitHub);
    // the scheduler's own suites run them directly (test/jobs/).
    IACT_SCHEDULER_ENABLED: "false",
    IACT_BACKUP_DIR: TEST_BACKUP_DIR,
    ...overrides,
  };
}

export interface TestServiceOptions {
  env?: Record<string, string>;
  apps?: ApplicationFunction[];
  log?: Logger;
  /** The service builds its own logger at info level, as in production, so that its lines reach the log store; stdout is discarded. */
  storeLogs?: boolean;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<RunningService> {
  // The service under test is on loopback; everything else must be mocked.
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
  const config = loadConfig(testEnv({ ...(options.storeLogs ? { LOG_LEVEL: "info" } : {}), ...options.env }));
  const common = { config, Octokit: TestOctokit, extraApps: options.apps ?? [] };
  // TEST_LOG_LEVEL=error (say) shows the service's own log lines on stderr.
  const service = options.storeLogs
    ? await startService({ ...common, logDestination: new Writable({ write: (_chunk, _encoding, callback) => callback() }) })
    : await startService({ ...common, log: options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }, pino.destination(2)) });
  await service.databaseReady;
  return service;
}

/**
 * The hooks a suite that needs its own service for every test would repeat:
 * before each test, empty tables and a fresh service, handed to `use`; after
 * it, the service stopped and nock's fakes cleared, so nothing leaks into
 * the next test.
 */
export function serviceForEachTest(use: (service: RunningService) => void, options: TestServiceOptions = {}): void {
  let service: RunningService | undefined;
  beforeEach(async () => {
    await truncateAllTables();
    service = await startTestService(options);
    use(service);
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    nock.cleanAll();
  });
}

/**
 * The same for suites that share one service (starting one costs a second or
 * more): started before the first test and handed to `use`, stopped after
 * the last; the tables are still emptied before each test.
 */
export function serviceForAllTests(use: (service: RunningService) => void, options: TestServiceOptions = {}): void {
  let service: RunningService | undefined;
  beforeAll(async () => {
    service = await startTestService(options);
    use(service);
  });
  afterAll(async () => {
    await service?.stop();
    nock.cleanAll();
  });
  beforeEach(async () => {
    await truncateAllTables();
  });
}

/** Polls until `condition` returns a truthy value; fails after the deadline. No fixed sleeps. */
export async function waitFor<T>(condition: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

/** Sends a signed delivery to the running service; returns its id once the service queued it (202). */
export async function deliverQueued(service: RunningService, event: string, payload: unknown): Promise<string> {
  const { response, deliveryId } = await sendWebhook(service.url, event, payload);
  expect(response.status).toBe(202);
  return deliveryId;
}

/**
 * Waits until the worker has handled the delivery once, whatever the
 * outcome. `final`: also past a retry it scheduled (pending again), so the
 * row is done, failed or rejected.
 */
export async function deliveryHandled(service: RunningService, deliveryId: string, options: { final?: boolean } = {}) {
  return waitFor(async () => {
    const row = await service.prisma.webhookDelivery.findUnique({ where: { deliveryId } });
    const unsettled = options.final ? ["pending", "processing"] : ["processing"];
    return row && row.attempts > 0 && !unsettled.includes(row.status) ? row : undefined;
  }, 15_000, `delivery ${deliveryId} to be handled`);
}
