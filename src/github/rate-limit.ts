// Rate limits for every Octokit we use outside Probot's defaults' reach.
// Probot's throttling retries primary limits only; GitHub's secondary limits
// (403/429 "You have exceeded a secondary rate limit", or a retry-after
// header) are thrown after one call. This request hook:
//   - waits before a request while the primary budget is known to be spent
//     (a previous answer said x-ratelimit-remaining: 0), until its reset;
//   - retries a rate-limited answer after `retry-after` seconds, else until
//     `x-ratelimit-reset`, else after an exponential delay (1 min, 2, 4...),
//     at most `maxRetries` times and never waiting longer than `maxWaitMs`.
import type { Logger } from "pino";
import { httpStatusOf } from "../lib/http-status.js";

export interface RateLimitOptions {
  maxRetries?: number;
  /** Longer waits than this throw instead (the inbox retries the delivery later). */
  maxWaitMs?: number;
  /** First fallback delay when GitHub gives no header; doubled per retry. */
  fallbackDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Pick<Logger, "warn">;
}

interface HookedOctokit {
  hook: {
    wrap(name: "request", wrapper: (request: (options: RequestOptions) => Promise<ResponseLike>, options: RequestOptions) => Promise<ResponseLike>): void;
  };
}

interface RequestOptions {
  method?: string;
  url?: string;
  [key: string]: unknown;
}

interface ResponseLike {
  headers: Record<string, string | number | undefined>;
  [key: string]: unknown;
}

interface ErrorLike {
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_WAIT_MS = 15 * 60_000;
export const DEFAULT_FALLBACK_DELAY_MS = 60_000;

const installed = new WeakSet<object>();

function header(headers: Record<string, string | number | undefined> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** Is this error a primary or secondary rate limit (as opposed to a permission 403)? */
export function isRateLimitError(error: unknown): boolean {
  const { message, response } = (error ?? {}) as ErrorLike;
  const status = httpStatusOf(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  const headers = response?.headers;
  return (
    header(headers, "retry-after") !== undefined ||
    header(headers, "x-ratelimit-remaining") === "0" ||
    /rate limit/i.test(message ?? "")
  );
}

/** How long to wait before retry number `retry` (0-based) of a rate-limited request. */
export function retryDelayMs(error: unknown, retry: number, now: number, fallbackDelayMs = DEFAULT_FALLBACK_DELAY_MS): number {
  const headers = (error as ErrorLike).response?.headers;
  const retryAfter = Number(header(headers, "retry-after"));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && header(headers, "retry-after") !== undefined) return retryAfter * 1000;
  const reset = Number(header(headers, "x-ratelimit-reset"));
  if (header(headers, "x-ratelimit-remaining") === "0" && Number.isFinite(reset)) return Math.max(0, reset * 1000 - now) + 1000;
  return fallbackDelayMs * 2 ** retry;
}

/** Installs the hook once per Octokit instance; returns the same instance. */
export function handleRateLimits<T extends object>(octokit: T, options: RateLimitOptions = {}): T {
  if (installed.has(octokit)) return octokit;
  installed.add(octokit);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  let exhaustedUntil = 0;

  (octokit as unknown as HookedOctokit).hook.wrap("request", async (request, requestOptions) => {
    for (let retry = 0; ; retry += 1) {
      const waitMs = exhaustedUntil - now();
      if (waitMs > 0) {
        if (waitMs > maxWaitMs) throw new Error(`GitHub API budget spent until ${new Date(exhaustedUntil).toISOString()}; not waiting ${Math.round(waitMs / 1000)} s`);
        options.log?.warn({ waitMs }, "GitHub API budget spent: waiting for its reset");
        await sleep(waitMs);
      }
      try {
        const response = await request(requestOptions);
        const remaining = header(response.headers, "x-ratelimit-remaining");
        const reset = Number(header(response.headers, "x-ratelimit-reset"));
        if (remaining === "0" && Number.isFinite(reset)) exhaustedUntil = reset * 1000 + 1000;
        return response;
      } catch (error) {
        if (!isRateLimitError(error) || retry >= maxRetries) throw error;
        const delayMs = retryDelayMs(error, retry, now(), options.fallbackDelayMs);
        if (delayMs > maxWaitMs) throw error;
        options.log?.warn(
          { status: httpStatusOf(error), delayMs, retry: retry + 1, endpoint: `${requestOptions.method ?? "GET"} ${requestOptions.url ?? ""}` },
          "GitHub rate limit: retrying",
        );
        await sleep(delayMs);
      }
    }
  });
  return octokit;
}
