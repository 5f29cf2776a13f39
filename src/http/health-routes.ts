// GET /health: the process is alive and serving. GET /ready: every
// dependency answers; 503 with one entry per dependency when one does not,
// so a load balancer stops sending traffic and an operator sees which.
import { checkDependencies } from "../lib/probes.js";
import type { ReadinessProbe } from "../lib/probes.js";
import type { Route } from "./router.js";

export type { DependencyStatus, ReadinessProbe } from "../lib/probes.js";

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
