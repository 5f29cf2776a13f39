// The Checks API calls of one repository: create a run, append annotations
// 50 per update, complete it. Outputs are built by check-output.ts.
//
// Processing is at-least-once: a worker that dies after creating a run is
// followed, after its lease, by another attempt at the same delivery. So each
// run carries an identity, `external_id` = the delivery id and the check's
// name, and before creating a run on a later attempt the reporter lists the
// head sha's runs once (one GET for every check of the delivery, filtered to
// this app; the first attempt, the common case, skips it) and takes over a
// run of its own identity instead of creating a second one:
//   - still in progress (its worker died): the new attempt completes it;
//   - completed by the one-shot path (invalid configuration, check turned
//     off): nothing to do again;
//   - completed by the pipeline (cancelled after a failure, or finished
//     just before a crash): a new run, as a retry always made; the newest
//     run is the one GitHub shows.
// A re-run asked for in GitHub's UI arrives as a new delivery (a new id), so
// it creates new runs, as it must. A failed lookup is logged and treated as
// "no run yet": the delivery then behaves as it did before identities.
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import {
  ApiCallCounter,
  CHECK_RUN_CREATE_ENDPOINT,
  CHECK_RUN_LIST_ENDPOINT,
  CHECK_RUN_UPDATE_ENDPOINT,
} from "../api-call-counter.js";
import { ANNOTATIONS_PER_REQUEST, batches, type CheckOutput } from "../../checks/check-output.js";

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
}

export interface CheckRunIdentity {
  /** The webhook delivery being processed (X-GitHub-Delivery). */
  deliveryId: string;
  /** This app's id, to list only its own runs; without it every app's runs are listed and matched by identity. */
  appId?: number | undefined;
  /** The first attempt at the delivery: no earlier attempt can have made a run, so nothing is looked up. */
  firstAttempt?: boolean;
  log: Logger;
}

interface ExistingRun {
  id: number;
  status: string;
  externalId: string;
}

/** The `external_id` of a delivery's run of one check. */
export function checkRunExternalId(deliveryId: string, name: string): string {
  return `${deliveryId}:${name}`;
}

export class CheckRunReporter {
  private existing: Promise<Map<string, ExistingRun>> | undefined;

  constructor(
    private readonly octokit: ProbotOctokit,
    private readonly target: CheckRunTarget,
    private readonly counter: ApiCallCounter = new ApiCallCounter(),
    /** Without it (no delivery: tests, tools) runs carry no identity and are always created. */
    private readonly identity?: CheckRunIdentity,
  ) {}

  /** POST an in_progress run, or take over this delivery's run left in progress by an earlier attempt; returns its id. */
  async start(name: string): Promise<number> {
    const existing = await this.existingRun(name);
    if (existing && existing.status !== "completed") {
      this.identity?.log.info({ check_run_id: existing.id, external_id: existing.externalId }, "check run of an earlier attempt at this delivery found in progress; completing it instead of creating another");
      return existing.id;
    }
    this.counter.add(CHECK_RUN_CREATE_ENDPOINT);
    const response = await this.octokit.rest.checks.create({
      owner: this.target.owner,
      repo: this.target.repo,
      name,
      head_sha: this.target.headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
      ...this.externalId(name),
    });
    return response.data.id;
  }

  /**
   * Appends the annotations 50 per PATCH; the last PATCH (or the only one,
   * when there are none) also completes the run with its conclusion.
   */
  async complete(checkRunId: number, output: CheckOutput): Promise<void> {
    const groups = batches(output.annotations, ANNOTATIONS_PER_REQUEST);
    if (groups.length === 0) groups.push([]);
    for (const [index, annotations] of groups.entries()) {
      const last = index === groups.length - 1;
      this.counter.add(CHECK_RUN_UPDATE_ENDPOINT);
      await this.octokit.rest.checks.update({
        owner: this.target.owner,
        repo: this.target.repo,
        check_run_id: checkRunId,
        output: { title: output.title, summary: output.summary, ...(annotations.length > 0 ? { annotations } : {}) },
        ...(last ? { status: "completed" as const, conclusion: output.conclusion, completed_at: new Date().toISOString() } : {}),
      });
    }
  }

  /**
   * One POST for a run whose outcome is known before any work (invalid
   * config, check turned off). An earlier attempt's run of this delivery is
   * completed instead (in progress) or left as it is (already completed).
   */
  async createCompleted(name: string, output: CheckOutput): Promise<number> {
    const existing = await this.existingRun(name);
    if (existing) {
      if (existing.status !== "completed") await this.complete(existing.id, { ...output, annotations: output.annotations.slice(0, ANNOTATIONS_PER_REQUEST) });
      return existing.id;
    }
    this.counter.add(CHECK_RUN_CREATE_ENDPOINT);
    const now = new Date().toISOString();
    const response = await this.octokit.rest.checks.create({
      owner: this.target.owner,
      repo: this.target.repo,
      name,
      head_sha: this.target.headSha,
      status: "completed",
      conclusion: output.conclusion,
      started_at: now,
      completed_at: now,
      output: {
        title: output.title,
        summary: output.summary,
        ...(output.annotations.length > 0 ? { annotations: output.annotations.slice(0, ANNOTATIONS_PER_REQUEST) } : {}),
      },
      ...this.externalId(name),
    });
    return response.data.id;
  }

  private externalId(name: string): { external_id?: string } {
    return this.identity ? { external_id: checkRunExternalId(this.identity.deliveryId, name) } : {};
  }

  /** The newest run carrying this delivery's identity for `name`, if any. */
  private async existingRun(name: string): Promise<ExistingRun | undefined> {
    if (!this.identity || this.identity.firstAttempt) return undefined;
    this.existing ??= this.listRunsOfThisDelivery();
    return (await this.existing).get(checkRunExternalId(this.identity.deliveryId, name));
  }

  private async listRunsOfThisDelivery(): Promise<Map<string, ExistingRun>> {
    const identity = this.identity!;
    const runs = new Map<string, ExistingRun>();
    try {
      this.counter.add(CHECK_RUN_LIST_ENDPOINT);
      const found = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
        owner: this.target.owner,
        repo: this.target.repo,
        ref: this.target.headSha,
        filter: "all",
        per_page: 100,
        ...(identity.appId !== undefined ? { app_id: identity.appId } : {}),
      });
      const prefix = `${identity.deliveryId}:`;
      for (const run of found) {
        if (!run.external_id?.startsWith(prefix)) continue;
        const newest = runs.get(run.external_id);
        if (!newest || run.id > newest.id) runs.set(run.external_id, { id: run.id, status: run.status, externalId: run.external_id });
      }
    } catch (error) {
      identity.log.warn({ err: error, owner: this.target.owner, repo: this.target.repo, sha: this.target.headSha }, "cannot list the commit's check runs; creating new runs (a retried delivery may show a run twice)");
    }
    return runs;
  }
}
