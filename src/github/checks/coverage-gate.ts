// The coverage gate of one completed workflow run, as a numbered pipeline:
//   1. read .github/iact.yml; the gate off, an invalid file (the other
//      checks report it) or a workflow the settings do not name: nothing;
//   2. list the run's artifacts and keep those whose names match; none: a
//      neutral run when the settings name this workflow, else nothing (every
//      other workflow of the repository would add a run of its own);
//   3. create `iact/coverage` in progress on the run's head sha;
//   4. download each artifact (expired, deleted, too large: a problem to
//      show), open its zip within the limits and parse its reports;
//   5. the pull request's changed lines (its files list) for patch coverage;
//   6. judge (src/checks/coverage/gate.ts) and complete the run.
// A failure in 4-6 (GitHub down, rate limits) completes the run `cancelled`
// with the error, then is rethrown so that the inbox retries the delivery.
import picomatch from "picomatch";
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { erroredOutputNamed, type CheckOutput } from "../../checks/check-output.js";
import { readArtifactZip } from "../../checks/coverage/artifact-zip.js";
import type { ArtifactFiles } from "../../checks/coverage/collect-reports.js";
import type { CoverageConfig } from "../../checks/coverage/config.js";
import { buildCoverageOutput, COVERAGE_CHECK_RUN_NAME, nothingReadOutput } from "../../checks/coverage/coverage-output.js";
import { evaluateGate } from "../../checks/coverage/gate.js";
import { totalsOf } from "../../checks/coverage/merge-coverage.js";
import { patchCoverage, type ChangedFile, type PatchCoverage } from "../../checks/coverage/patch-coverage.js";
import { addedLines } from "../../checks/coverage/patch-lines.js";
import type { FileCoverage } from "../../checks/coverage/types.js";
import { httpStatusOf } from "../../lib/http-status.js";
import { isRunOfWorkflow } from "../events/deployment-events.js";
import { downloadArtifact, listRunArtifacts, type RunArtifact } from "../workflow-artifacts.js";
import { CheckRunReporter } from "./check-run-reporter.js";
import { collectReportsOffThread } from "./report-parsing.js";
import type { CheckServices } from "./run-checks.js";

export interface CoverageGateRequest {
  owner: string;
  repo: string;
  /** `repository.html_url` of the payload (links follow the GitHub host). */
  repositoryUrl: string;
  run: {
    id: number;
    name?: string | null | undefined;
    path?: string | undefined;
    headSha: string;
    runNumber?: number | undefined;
    htmlUrl?: string | undefined;
    /** The run's pull request (workflow_run.pull_requests[0]); absent for a fork's pull request or a push. */
    pullRequest?: number | undefined;
  };
  deliveryId?: string;
  attempt?: number;
  /** Who caused the run (the payload's sender), for the audit log. */
  sender?: string | undefined;
}

export interface CoverageGateOutcome {
  checkRunId: number;
  conclusion: string;
}

/** Files of a pull request GitHub lists at most (its files API stops at 3,000). */
const MAX_PULL_REQUEST_FILES = 3_000;

export async function runCoverageGate(octokit: ProbotOctokit, request: CoverageGateRequest, services: CheckServices, log: Logger): Promise<CoverageGateOutcome | undefined> {
  const { owner, repo, run } = request;
  const logFields = { owner, repo, sha: run.headSha, workflow_run: run.id };

  // 1. Settings.
  const configResult = await services.repoConfig.get(octokit, owner, repo);
  if (!configResult.ok) {
    log.warn({ ...logFields, problems: configResult.problems }, `coverage gate: invalid ${configResult.file}, not run (iact/restrictions and iact/docs report the problems)`);
    return undefined;
  }
  const config = configResult.config.checks.coverage;
  if (!config.enabled) return undefined;
  const named = config.workflows !== undefined;
  if (config.workflows && !config.workflows.some((workflow) => isRunOfWorkflow(run, workflow))) return undefined;

  // 2. Artifacts whose names match.
  let artifacts: RunArtifact[];
  try {
    artifacts = await listRunArtifacts(octokit, owner, repo, run.id);
  } catch (error) {
    // Without `actions: read` no retry helps; anything else (GitHub down) is retried.
    if (httpStatusOf(error) === 403) {
      log.warn({ ...logFields, err: error }, "coverage gate: GitHub refused the run's artifacts list; does the app have the actions: read permission?");
      return undefined;
    }
    throw error;
  }
  const isWanted = picomatch(config.artifacts, { nocase: true, dot: true });
  const wanted = artifacts.filter((artifact) => isWanted(artifact.name));
  const identity = request.deliveryId === undefined ? undefined : { deliveryId: request.deliveryId, appId: services.appId, firstAttempt: request.attempt === 1, log };
  const reporter = new CheckRunReporter(octokit, { owner, repo, headSha: run.headSha }, undefined, identity);
  const workflow = { name: run.name ?? run.path ?? `run ${run.id}`, runNumber: run.runNumber, url: run.htmlUrl };
  if (wanted.length === 0) {
    if (!named) {
      log.info({ ...logFields, artifacts: artifacts.map((artifact) => artifact.name) }, "coverage gate: no artifact of this run matches checks.coverage.artifacts; nothing published");
      return undefined;
    }
    const listed = artifacts.length === 0 ? "the run uploaded no artifact" : `the run's artifacts (${artifacts.map((artifact) => artifact.name).join(", ")}) match none of checks.coverage.artifacts (${config.artifacts.join(", ")})`;
    const output = nothingReadOutput([`no artifact to read: ${listed}`], { workflow, sha: run.headSha, rulesDocsUrl: services.rulesDocsUrl });
    const checkRunId = await reporter.createCompleted(COVERAGE_CHECK_RUN_NAME, output);
    return published(services, request, log, { checkRunId, conclusion: output.conclusion });
  }

  // 3. The run, in progress.
  const checkRunId = await reporter.start(COVERAGE_CHECK_RUN_NAME);
  try {
    // 4. Download and read.
    const problems: string[] = [];
    const opened: ArtifactFiles[] = [];
    for (const artifact of wanted) {
      const files = await openArtifact(octokit, request, artifact, config, problems);
      if (files) opened.push({ artifact: artifact.name, files });
    }
    const collected = await collectReportsOffThread(opened, config.formats);
    problems.push(...collected.problems);
    let output: CheckOutput;
    if (collected.reports.length === 0) {
      output = nothingReadOutput(problems, { workflow, sha: run.headSha, rulesDocsUrl: services.rulesDocsUrl });
    } else {
      // 5. Patch coverage.
      const patch = await patchOf(octokit, request, collected.coverage);
      // 6. The verdict.
      const settings = { threshold: config.threshold, patchThreshold: config.patchThreshold };
      const total = collected.coverage ? totalsOf(collected.coverage) : undefined;
      const verdict = evaluateGate({ total, tests: collected.tests, patch, problems }, settings);
      output = buildCoverageOutput({
        verdict,
        settings,
        total,
        tests: collected.tests,
        patch,
        pullRequest: run.pullRequest,
        reports: collected.reports,
        workflow,
        repositoryUrl: request.repositoryUrl,
        sha: run.headSha,
        rulesDocsUrl: services.rulesDocsUrl,
      });
    }
    await reporter.complete(checkRunId, output);
    log.info({ ...logFields, conclusion: output.conclusion, artifacts: wanted.map((artifact) => artifact.name), reports: collected.reports.length, problems }, "coverage gate done");
    return published(services, request, log, { checkRunId, conclusion: output.conclusion });
  } catch (error) {
    try {
      await reporter.complete(checkRunId, erroredOutputNamed(COVERAGE_CHECK_RUN_NAME, error));
    } catch (cancelError) {
      log.warn({ ...logFields, err: cancelError }, "coverage gate: could not mark the check run cancelled");
    }
    throw error;
  }
}

/** One artifact's files, or undefined with the reason added to `problems`. */
async function openArtifact(octokit: ProbotOctokit, request: CoverageGateRequest, artifact: RunArtifact, config: CoverageConfig, problems: string[]) {
  if (artifact.expired) {
    problems.push(`artifact ${artifact.name} has expired${artifact.expiresAt ? ` (on ${artifact.expiresAt})` : ""}; run the workflow again to upload it anew`);
    return undefined;
  }
  if (artifact.sizeInBytes > config.maxArtifactBytes) {
    problems.push(`artifact ${artifact.name} is ${artifact.sizeInBytes.toLocaleString("en-US")} bytes, over the limit of ${config.maxArtifactBytes.toLocaleString("en-US")} (checks.coverage.maxArtifactBytes); not downloaded`);
    return undefined;
  }
  const download = await downloadArtifact(octokit, request.owner, request.repo, artifact, config.maxArtifactBytes);
  if (!download.ok) {
    problems.push(download.reason);
    return undefined;
  }
  const contents = readArtifactZip(download.zip, { maxInflatedBytes: config.maxInflatedBytes });
  if (!contents.ok) {
    const limit = contents.code === "too-large" ? " (checks.coverage.maxInflatedBytes)" : "";
    problems.push(`artifact ${artifact.name} was not read: ${contents.reason}${limit}`);
    return undefined;
  }
  return contents.entries;
}

async function patchOf(octokit: ProbotOctokit, request: CoverageGateRequest, coverage: FileCoverage[] | undefined): Promise<PatchCoverage | { unavailable: string }> {
  const number = request.run.pullRequest;
  if (number === undefined) return { unavailable: "the workflow run names no pull request (a push, or a pull request from a fork, whose runs GitHub does not link)" };
  if (!coverage) return { unavailable: "no coverage report to measure the changed lines against" };
  const changed: ChangedFile[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner: request.owner, repo: request.repo, pull_number: number, per_page: 100 })) {
    for (const file of page.data) {
      if (file.status === "removed") continue;
      // No patch: binary, too large for a diff, or a rename without changes (nothing added).
      changed.push({ path: file.filename, addedLines: file.patch ? addedLines(file.patch) : file.changes === 0 ? [] : undefined });
    }
    if (changed.length >= MAX_PULL_REQUEST_FILES) break;
  }
  return patchCoverage(changed, coverage);
}

/** Records the published run in the audit log; an audit log that is down costs the entry, never the run. */
async function published(services: CheckServices, request: CoverageGateRequest, log: Logger, outcome: CoverageGateOutcome): Promise<CoverageGateOutcome> {
  if (!services.audit) return outcome;
  try {
    await services.audit({
      actor: request.sender ? `github:${request.sender}` : "github",
      action: "check_runs.published",
      target: `${request.owner}/${request.repo}@${request.run.headSha}`,
      requestId: request.deliveryId ?? null,
      details: { trigger: "workflow_run.completed", runs: [{ check: "coverage", check_run_id: outcome.checkRunId, conclusion: outcome.conclusion }] },
    });
  } catch (error) {
    log.warn({ err: error }, "coverage check run published, but its audit log entry could not be written");
  }
  return outcome;
}
