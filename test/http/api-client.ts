// A small client for the JSON API under test: real HTTP, real server.
import { ApiTokens } from "../../src/http/auth/api-tokens.js";
import type { Scope } from "../../src/http/auth/principal.js";
import type { PrismaClient } from "../../src/store/prisma.js";

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  /** Serialised as JSON unless it is already a string. */
  body?: unknown;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(new URL(path, baseUrl), { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
}

export async function tokenFor(prisma: PrismaClient, scope: Scope, name = `test-${scope}-${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  return (await new ApiTokens(prisma).create(name, scope)).token;
}

/** A valid record; override fields per test. */
export function metricRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cycle_id: "cycle-001",
    feature_id: "FEAT-42",
    phase_name: "deployment",
    decision: "go",
    duration_seconds: 5400.5,
    metadata: { pipeline: "ci", attempt: 1 },
    ...overrides,
  };
}
