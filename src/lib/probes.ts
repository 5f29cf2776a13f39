// Asking each dependency whether it answers, all at once, each within a
// deadline: a dependency that hangs is reported as failing instead of
// holding the answer. /ready and the health snapshots both ask this way.
import { withTimeout } from "./with-timeout.js";

export interface DependencyStatus {
  ok: boolean;
  /** Latency of the probe, or the reason it failed. */
  latency_ms?: number;
  error?: string;
  [detail: string]: unknown;
}

export type ReadinessProbe = () => Promise<Omit<DependencyStatus, "latency_ms">>;

const PROBE_TIMEOUT_MS = 2_000;

export async function checkDependencies(probes: Record<string, ReadinessProbe>, timeoutMs = PROBE_TIMEOUT_MS): Promise<Record<string, DependencyStatus>> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const started = performance.now();
      try {
        const result = await withTimeout(probe(), timeoutMs);
        return [name, { ...result, latency_ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
