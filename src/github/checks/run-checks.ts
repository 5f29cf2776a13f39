// One delivery's repository checks, as a numbered pipeline:
//   1. read .github/iact.yml (cached per repository);
//   2. invalid -> every requested check completes at once with the problems;
//      turned off -> it completes `skipped`;
//   3. create the remaining runs in_progress;
//   4. read the commit's tree once (shared by both checks), blobs on demand;
//   5. run each engine and complete its run (annotations 50 per update);
//   6. log the API calls by endpoint.
// A failure in 3-5 (GitHub down or rate limiting) completes the affected runs
// already created `cancelled` with the error, then is rethrown so the inbox
// retries the delivery.
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { ApiCallCounter, CONFIG_ENDPOINT } from "../api-call-counter.js";
import type { BlobCache } from "../blob-cache.js";
import type { RepoConfigCache } from "../repo-config-cache.js";
import { createGitHubRepoFiles } from "../repo-files.js";
import {
  buildCheckOutput,
  CHECK_RUN_NAMES,
  disabledOutput,
  erroredOutput,
  invalidConfigOutput,
} from "../../checks/check-output.js";
import { CheckRunReporter } from "./check-run-reporter.js";
import { runEngine } from "../../checks/run-engine.js";
import type { CheckName } from "../../checks/types.js";
import type { AuditRecord } from "../../store/audit-log.js";

export interface CheckServices {
  repoConfig: RepoConfigCache;
  blobCache: BlobCache;
  /** IACT_RULES_DOCS_URL: folder URL of docs/rules/. */
  rulesDocsUrl: string;
  /** This app's id, to recognise our own check runs and suites on re-run. */
  appId?: number;
  /** Appends to the audit log (the service's); absent in tools that publish nothing to keep. */
  audit?: (record: AuditRecord) => Promise<unknown>;
}

export interface CheckRequest {
  owner: string;
  repo: string;
  headSha: string;
  /** `repository.html_url` of the payload: links follow the GitHub host (github.com or GHES). */
  repositoryUrl: string;
  checks: readonly CheckName[];
  /** Why we run (for logs): "pull_request.opened", "push", "check_run.rerequested"... */
  trigger: string;
  /** The delivery being processed: the runs' identity, so that a retried delivery takes over its runs (check-run-reporter.ts). */
  deliveryId?: string;
  /** Which attempt at the delivery this is; on the first there are no runs of an earlier one to look for. */
  attempt?: number;
}

export interface CheckRunOutcome {
  check: CheckName;
  checkRunId: number;
  conclusion: string;
  findings: number;
  /** Set when the run only reports an invalid configuration file (its path). */
  invalidConfig?: string;
}

export async function runRepositoryChecks(
  octokit: ProbotOctokit,
  request: CheckRequest,
  services: CheckServices,
  log: Logger,
): Promise<CheckRunOutcome[]> {
  const started = Date.now();
  const counter = new ApiCallCounter();
  const identity = request.deliveryId === undefined ? undefined : { deliveryId: request.deliveryId, appId: services.appId, firstAttempt: request.attempt === 1, log };
  const reporter = new CheckRunReporter(octokit, { owner: request.owner, repo: request.repo, headSha: request.headSha }, counter, identity);
  const outcomes: CheckRunOutcome[] = [];
  const logFields = { owner: request.owner, repo: request.repo, sha: request.headSha, trigger: request.trigger };

  // 1. Configuration.
  const configCallsBefore = services.repoConfig.apiCalls;
  const configResult = await services.repoConfig.get(octokit, request.owner, request.repo);
  counter.add(CONFIG_ENDPOINT, services.repoConfig.apiCalls - configCallsBefore);

  // 2. Outcomes known before any work.
  if (!configResult.ok) {
    for (const check of request.checks) {
      const output = invalidConfigOutput(configResult.problems, configResult.file, { check, repositoryUrl: request.repositoryUrl, sha: request.headSha });
      const checkRunId = await reporter.createCompleted(CHECK_RUN_NAMES[check], output);
      outcomes.push({ check, checkRunId, conclusion: output.conclusion, findings: 0, invalidConfig: configResult.file });
    }
    log.info({ ...logFields, problems: configResult.problems, apiCalls: counter.byEndpoint() }, "repository checks: invalid .github/iact.yml");
    return outcomes;
  }
  const { config } = configResult;
  const enabled: CheckName[] = [];
  for (const check of request.checks) {
    if (config.checks[check].enabled) {
      enabled.push(check);
      continue;
    }
    const checkRunId = await reporter.createCompleted(CHECK_RUN_NAMES[check], disabledOutput(check));
    outcomes.push({ check, checkRunId, conclusion: "skipped", findings: 0 });
  }
  if (enabled.length === 0) {
    log.info({ ...logFields, apiCalls: counter.byEndpoint() }, "repository checks: all requested checks are turned off");
    return outcomes;
  }

  // 3. Runs in progress.
  const runs = new Map<CheckName, number>();
  const failures: unknown[] = [];
  const cancel = async (check: CheckName, error: unknown) => {
    failures.push(error);
    try {
      await reporter.complete(runs.get(check)!, erroredOutput(check, error));
    } catch (cancelError) {
      log.warn({ ...logFields, err: cancelError, check }, "repository checks: could not mark the check run cancelled");
    }
    outcomes.push({ check, checkRunId: runs.get(check)!, conclusion: "cancelled", findings: 0 });
  };
  try {
    for (const check of enabled) runs.set(check, await reporter.start(CHECK_RUN_NAMES[check]));
  } catch (error) {
    // GitHub refused a later run (a secondary limit on content creation): the
    // runs already created would otherwise stay in_progress for good.
    for (const check of runs.keys()) await cancel(check, error);
    log.info({ ...logFields, outcomes, apiCalls: counter.byEndpoint() }, "repository checks: could not create the check runs");
    throw error;
  }

  // 4. The tree, once for both checks.
  let files: Awaited<ReturnType<typeof createGitHubRepoFiles>> | undefined;
  try {
    files = await createGitHubRepoFiles(octokit, { owner: request.owner, repo: request.repo, sha: request.headSha }, services.blobCache, { counter });
  } catch (error) {
    for (const check of enabled) await cancel(check, error);
  }

  // 5. Engines and reports.
  if (files) {
    const repoFiles = files;
    await Promise.all(
      enabled.map(async (check) => {
        try {
          const result = await runEngine(check, repoFiles, config.checks);
          const output = buildCheckOutput(result, { check, repositoryUrl: request.repositoryUrl, sha: request.headSha, rulesDocsUrl: services.rulesDocsUrl });
          await reporter.complete(runs.get(check)!, output);
          outcomes.push({ check, checkRunId: runs.get(check)!, conclusion: output.conclusion, findings: result.findings.length });
        } catch (error) {
          await cancel(check, error);
        }
      }),
    );
  }

  // 6. What it cost.
  log.info(
    {
      ...logFields,
      outcomes,
      files: files?.paths.length,
      blobsFetched: files?.blobsFetched,
      treeTruncated: files?.treeWasTruncated,
      archiveUsed: files?.archiveUsed,
      apiCalls: counter.byEndpoint(),
      apiCallsTotal: counter.total,
      ms: Date.now() - started,
    },
    "repository checks done",
  );
  if (failures.length > 0) throw failures[0];
  return outcomes;
}
