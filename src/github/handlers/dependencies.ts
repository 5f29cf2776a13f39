// What the webhook handlers (this folder) are given by the wiring (src/app.ts).
// A feature left out (no `capture`, no `checks`) makes its part of every
// handler a no-op, so an app can run one feature without the other.
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { PrismaClient } from "../../store/prisma.js";
import type { CheckServices } from "../checks/run-checks.js";
import type { DoraCapture } from "../dora-capture.js";
import type { RepoConfigCache } from "../repo-config-cache.js";

export interface CaptureServices {
  writer: DoraCapture;
  prisma: PrismaClient;
  /** Days backfilled when the app is installed on a repository; 0 turns it off. */
  installBackfillDays: number;
  /**
   * A new Octokit for the installation. Capture installs its rate-limit waits
   * on the Octokit it is given (dora-capture.ts); where capture and the checks
   * handle the same delivery, capture gets its own, so that the checks never
   * wait on a rate limit (they cancel their runs and let the inbox retry).
   */
  octokitFor(installationId: number): Promise<ProbotOctokit>;
}

export interface HandlerDependencies {
  log: Logger;
  /** One cache of .github/iact.yml for every feature: a push touching the file invalidates it once. */
  repoConfig: Pick<RepoConfigCache, "get" | "invalidate">;
  /** DORA capture (deployments, changes, PRs, incidents); absent in apps that do not capture. */
  capture?: CaptureServices;
  /** Repository checks (check runs); absent in apps that do not run them. */
  checks?: CheckServices;
}
