// Fuzzing the JSON API through the real HTTP server and the real MariaDB:
// fast-check builds hostile requests for every route (wrong types, huge and
// negative numbers, deep nesting, long strings, `__proto__` keys, bad dates,
// bad query parameters, malformed JSON, unknown routes and methods) with
// valid, under-scoped, restricted, revoked, malformed and missing tokens.
// Properties of every request: it is answered before the deadline (a hang
// is a wrong answer, whatever the machine's speed), never with a 5xx, and a
// 4xx carries a message; the server still answers /health at the end.
// Fixed seed and bounded count, so a failure replays; the summary (requests,
// answers by status, p99 answer time) is printed for the record.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EVIDENCE_FIGURES } from "../../src/dora/index.js";
import { ApiTokens } from "../../src/http/auth/api-tokens.js";
import { repoRestriction } from "../../src/http/auth/repo-access.js";
import type { RunningService } from "../../src/service.js";
import { metricRecord } from "../http/api-client.js";
import { serviceForAllTests } from "../support/service.js";

const SEED = 20261129;
const RUNS = 600;
const ANSWER_DEADLINE_MS = 15_000;
const MAX_BODY_BYTES = 64 * 1024;

type TokenKind = "write" | "read" | "restricted" | "revoked" | "malformed" | "missing";

interface FuzzRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  token: TokenKind;
  /** Sent as is (already JSON or deliberately not). */
  body?: string;
}

// --- values ---------------------------------------------------------------

const hostileNumbers = fc.constantFrom(0, -1, 1.5, 1e20, -1e20, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.001, 99999999.999, 100000000);
const hostileText = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 2 },
  { arbitrary: fc.constantFrom("", " ", "__proto__", "constructor", "NaN", "Infinity", "-0", "1e309", "null", "true", "[]", "{}", "%", "%E0%A4%A", "\u0000", "\ud800", "' OR 1=1 --", "../../etc/passwd"), weight: 4 },
  { arbitrary: fc.nat({ max: 5000 }).map((length) => "x".repeat(length)), weight: 1 },
  // Past Node's 16 KB of headers in a query; past the body limit in a body.
  { arbitrary: fc.constantFrom(100_000, 70_000).map((length) => "y".repeat(length)), weight: 1 },
);
const hostileDate = fc.oneof(
  fc.constantFrom("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-01T00:00:00+25:00", "2026-11-01", "yesterday", "2026-11-01T24:00:00Z", "-271821-04-20T00:00:00Z"),
  fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? "Invalid Date" : date.toISOString())),
);
/** `levels` arrays or objects inside each other, as JSON text. */
const deepJson = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([levels, objects]) => (objects ? `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}` : `${"[".repeat(levels)}${"]".repeat(levels)}`));
const anyJsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  hostileNumbers,
  hostileText,
  fc.constant(null),
);

// --- requests ---------------------------------------------------------------

// Mostly tokens that pass, so that most requests reach the routes' own checks.
const tokens = fc.oneof(
  { arbitrary: fc.constantFrom<TokenKind>("write", "read"), weight: 6 },
  { arbitrary: fc.constant<TokenKind>("restricted"), weight: 2 },
  { arbitrary: fc.constantFrom<TokenKind>("revoked", "malformed", "missing"), weight: 1 },
);
const queryKeys = fc.constantFrom("days", "repo", "environment", "installation", "benchmark", "figure", "from", "to", "__proto__", "unknown");
const queryValue = fc.oneof(hostileText, hostileNumbers.map(String), hostileDate, fc.constantFrom("o/n", "octo/hello-world", "production", "2021", "2023", "30", ...EVIDENCE_FIGURES));
const query = fc.array(fc.tuple(queryKeys, queryValue), { maxLength: 6 });

const metricsGet = fc.record({ method: fc.constantFrom("GET", "HEAD"), path: fc.constant("/api/dora/metrics"), query, token: tokens });
const evidenceGet = fc.record({
  method: fc.constant("GET"),
  path: fc.constant("/api/dora/evidence"),
  query: fc.tuple(fc.option(fc.constantFrom(...EVIDENCE_FIGURES), { nil: undefined }), fc.option(hostileDate, { nil: undefined }), fc.option(hostileDate, { nil: undefined }), query).map(([figure, from, to, rest]) => [
    ...(figure ? ([["figure", figure]] as Array<[string, string]>) : []),
    ...(from ? ([["from", from]] as Array<[string, string]>) : []),
    ...(to ? ([["to", to]] as Array<[string, string]>) : []),
    ...rest,
  ]),
  token: tokens,
});
const jobsGet = fc.record({ method: fc.constant("GET"), path: fc.constant("/api/jobs"), query, token: tokens });

/** A valid record with one field replaced, removed or added, serialised; or hostile text. */
const metricBody = fc.oneof(
  fc.tuple(fc.constantFrom("cycle_id", "feature_id", "phase_name", "decision", "duration_seconds", "metadata", "created_at", "extra"), anyJsonValue).map(([field, value]) =>
    JSON.stringify(metricRecord({ cycle_id: `fuzz-${Math.random().toString(36).slice(2)}`, [field]: value })),
  ),
  // Valid records whose metadata is anything a JSON object may hold: these reach the database.
  fc.dictionary(hostileText, anyJsonValue, { maxKeys: 5 }).map((metadata) => JSON.stringify(metricRecord({ cycle_id: `fuzz-${Math.random().toString(36).slice(2)}`, metadata }))),
  hostileDate.map((createdAt) => JSON.stringify(metricRecord({ cycle_id: `fuzz-${Math.random().toString(36).slice(2)}`, created_at: createdAt }))),
  deepJson.map((nested) => JSON.stringify(metricRecord({ cycle_id: `fuzz-${Math.random().toString(36).slice(2)}` })).replace('"metadata":{', `"metadata":{"deep":${nested},`)),
  deepJson,
  fc.constantFrom(
    '{"__proto__":{"admin":true}}',
    JSON.stringify(metricRecord()).replace('"metadata":{', '"metadata":{"__proto__":{"x":1},'),
    '{"cycle_id":',
    "",
    "   ",
    "null",
    "[]",
    '"text"',
    "{,}",
    '{"duration_seconds":1e400}',
    '{"cycle_id":"\\ud800"}',
  ),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
);
const metricsPost = fc.record({
  method: fc.constant("POST"),
  path: fc.constantFrom("/api/dora/metrics", "/api/dora/metrics/create/"),
  query: fc.constant<Array<[string, string]>>([]),
  token: fc.oneof({ arbitrary: fc.constant<TokenKind>("write"), weight: 4 }, { arbitrary: tokens, weight: 1 }),
  body: metricBody,
});

const strayRequest = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
  path: fc.oneof(
    fc.constantFrom("/api/openapi.json", "/health", "/ready", "/api/jobs", "/api/dora/metrics", "/api/dora/evidence", "/api/github/webhooks", "/", "/api", "/api/dora/metrics/create/extra"),
    fc.webPath(),
  ),
  query,
  token: tokens,
  body: fc.option(fc.oneof(metricBody, fc.string({ maxLength: 100 })), { nil: undefined }),
});

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: metricsGet, weight: 3 },
  { arbitrary: evidenceGet, weight: 3 },
  { arbitrary: jobsGet, weight: 1 },
  { arbitrary: metricsPost, weight: 4 },
  { arbitrary: strayRequest, weight: 2 },
);

// --- the run ------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

describe("API under fuzzed requests", () => {
  let service: RunningService;
  serviceForAllTests((running) => (service = running), { env: { IACT_API_MAX_BODY_BYTES: String(MAX_BODY_BYTES), IACT_WORKER_ENABLED: "false", IACT_SCHEDULER_ENABLED: "false" } });

  it(`answers ${RUNS} hostile requests (seed ${SEED}) before the deadline, never with a 5xx, 4xx with a message, and keeps serving`, async () => {
    const apiTokens = new ApiTokens(service.prisma);
    const tokenValues: Record<TokenKind, string | undefined> = {
      write: (await apiTokens.create("fuzz-write", "write")).token,
      read: (await apiTokens.create("fuzz-read", "read")).token,
      restricted: (await apiTokens.create("fuzz-restricted", "read", repoRestriction(["octo/hello-world"], []))).token,
      revoked: (await apiTokens.create("fuzz-revoked", "write")).token,
      malformed: "iact_not-a-real-token",
      missing: undefined,
    };
    await apiTokens.revoke("fuzz-revoked");

    const answers: Answer[] = [];
    const send = async (request: FuzzRequest): Promise<Answer> => {
      // Concatenated, not resolved: a path such as "//host/x" must reach this server as a path.
      const url = new URL(`${service.url.replace(/\/$/, "")}${request.path.startsWith("/") ? "" : "/"}${request.path}`);
      for (const [key, value] of request.query) url.searchParams.append(key, value);
      const headers: Record<string, string> = {};
      const token = tokenValues[request.token];
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const withBody = request.body !== undefined && request.method !== "GET" && request.method !== "HEAD";
      if (withBody) headers["content-type"] = "application/json";
      const started = performance.now();
      const response = await fetch(url, { method: request.method, headers, ...(withBody ? { body: request.body } : {}), signal: AbortSignal.timeout(ANSWER_DEADLINE_MS) });
      const body = await response.text();
      return { status: response.status, body, ms: performance.now() - started };
    };

    await fc.assert(
      fc.asyncProperty(anyRequest, async (request) => {
        const answer = await send(request);
        answers.push(answer);
        expect(answer.status, `${request.method} ${request.path}: ${answer.body.slice(0, 300)}`).toBeLessThan(500);
        if (answer.status >= 400 && request.method !== "HEAD") {
          const parsed = JSON.parse(answer.body) as { error?: unknown };
          expect(typeof parsed.error === "string" && parsed.error.length > 0, `4xx without a message: ${answer.body.slice(0, 300)}`).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    const health = await fetch(new URL("/health", service.url), { signal: AbortSignal.timeout(ANSWER_DEADLINE_MS) });
    expect(health.status).toBe(200);

    const byStatus: Record<string, number> = {};
    for (const answer of answers) byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
    const times = answers.map((answer) => answer.ms).sort((a, b) => a - b);
    const summary = { seed: SEED, requests: answers.length, answers_by_status: byStatus, p50_ms: Math.round(percentile(times, 0.5)), p99_ms: Math.round(percentile(times, 0.99)), max_ms: Math.round(times.at(-1) ?? 0) };
    console.log(`API fuzz summary: ${JSON.stringify(summary)}`);
    expect(answers.length).toBe(RUNS);
  }, 300_000);
});
