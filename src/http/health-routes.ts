// GET /health: the process is alive and serving. GET /ready: every
// dependency answers; 503 with one entry per dependency when one does not,
// so a load balancer stops sending traffic and an operator sees which.
import { withTimeout } from "../lib/with-timeout.js";
import type { Route } from "./router.js";

export interface DependencyStatus {
  ok: boolean;
  /** Latency of the probe, or the reason it failed. */
  latency_ms?: number;
  error?: string;
  [detail: string]: unknown;
}

export type ReadinessProbe = () => Promise<Omit<DependencyStatus, "latency_ms">>;

const PROBE_TIMEOUT_MS = 2_000;

export function healthRoutes(probes: Record<string, ReadinessProbe>, startedAt = new Date()): Route[] {
  return [
    {
      method: "GET",
      path: "/health",
      scope: null,
      summary: "Liveness: the process is up",
      handler: async () => ({
        status: 200,
        body: { status: "ok", uptime_seconds: Math.round((Date.now() - startedAt.getTime()) / 1000) },
      }),
    },
    {
      method: "GET",
      path: "/ready",
      scope: null,
      summary: "Readiness: every dependency answers (one entry per dependency)",
      handler: async () => {
        const dependencies = await checkDependencies(probes);
        const ready = Object.values(dependencies).every((dependency) => dependency.ok);
        return { status: ready ? 200 : 503, body: { status: ready ? "ready" : "degraded", dependencies } };
      },
    },
  ];
}

export async function checkDependencies(probes: Record<string, ReadinessProbe>): Promise<Record<string, DependencyStatus>> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const started = performance.now();
      try {
        const result = await withTimeout(probe(), PROBE_TIMEOUT_MS);
        return [name, { ...result, latency_ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
