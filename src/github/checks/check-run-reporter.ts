// The Checks API calls of one repository: create a run, append annotations
// 50 per update, complete it. Outputs are built by check-output.ts.
import type { ProbotOctokit } from "probot";
import {
  ApiCallCounter,
  CHECK_RUN_CREATE_ENDPOINT,
  CHECK_RUN_UPDATE_ENDPOINT,
} from "../api-call-counter.js";
import { ANNOTATIONS_PER_REQUEST, batches, type CheckOutput } from "../../checks/check-output.js";

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
}

export class CheckRunReporter {
  constructor(
    private readonly octokit: ProbotOctokit,
    private readonly target: CheckRunTarget,
    private readonly counter: ApiCallCounter = new ApiCallCounter(),
  ) {}

  /** POST an in_progress run; returns its id. */
  async start(name: string): Promise<number> {
    this.counter.add(CHECK_RUN_CREATE_ENDPOINT);
    const response = await this.octokit.rest.checks.create({
      owner: this.target.owner,
      repo: this.target.repo,
      name,
      head_sha: this.target.headSha,
      status: "in_progress",
      started_at: new Date().toISOString(),
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

  /** One POST for a run whose outcome is known before any work (invalid config, check turned off). */
  async createCompleted(name: string, output: CheckOutput): Promise<number> {
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
    });
    return response.data.id;
  }
}
