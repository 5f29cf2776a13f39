// Reports are parsed in a worker thread, not on the service's event loop: a
// 10 MB Cobertura file takes seconds to parse, during which the webhook
// intake would not answer GitHub. The worker's heap is capped, so a report
// too big for it ends that worker (a problem to show), never the service.
// From sources (tsx, vitest) the worker is the .ts file, loaded through tsx;
// from the build it is the compiled .js beside this one.
import { Worker } from "node:worker_threads";
import type { ArtifactFiles, CollectedReports } from "../../checks/coverage/collect-reports.js";
import type { ReportFormat } from "../../checks/coverage/types.js";

/** Heap of the parsing worker; a 50 MB Cobertura file needs about 1 GB. */
export const PARSING_HEAP_MB = 2048;

export async function collectReportsOffThread(artifacts: readonly ArtifactFiles[], formats: readonly ReportFormat[], heapMb = PARSING_HEAP_MB): Promise<CollectedReports> {
  const fromSources = import.meta.url.endsWith(".ts");
  const script = new URL(`./report-parsing-worker.${fromSources ? "ts" : "js"}`, import.meta.url);
  // The files' bytes move to the worker instead of being copied.
  const buffers = [...new Set(artifacts.flatMap((artifact) => artifact.files.map((file) => file.bytes.buffer)))].filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
  const worker = new Worker(script, {
    workerData: { artifacts, formats },
    transferList: buffers,
    execArgv: fromSources ? ["--import", "tsx"] : [],
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  return new Promise<CollectedReports>((resolve, reject) => {
    let settled = false;
    worker.once("message", (collected: CollectedReports) => {
      settled = true;
      resolve(collected);
      void worker.terminate();
    });
    worker.once("error", (error: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
        const names = artifacts.map((artifact) => artifact.artifact).join(", ");
        resolve({ reports: [], problems: [`the reports of artifact ${names} need more than ${heapMb} MB of memory to parse; lower checks.coverage.maxInflatedBytes or upload smaller reports`] });
      } else {
        reject(error);
      }
    });
    worker.once("exit", (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`the report parsing worker stopped (exit code ${code}) before answering`));
      }
    });
  });
}
