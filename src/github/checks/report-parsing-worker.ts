// The worker thread of report-parsing.ts: parses the artifacts' files it is
// handed and posts the collected reports back.
import { parentPort, workerData } from "node:worker_threads";
import { collectReports, type ArtifactFiles } from "../../checks/coverage/collect-reports.js";
import type { ReportFormat } from "../../checks/coverage/types.js";

const { artifacts, formats } = workerData as { artifacts: ArtifactFiles[]; formats: ReportFormat[] };
parentPort!.postMessage(collectReports(artifacts, formats));
