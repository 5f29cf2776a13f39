// The DORA settings a delivery is captured with. Per-repo settings come from
// .github/iact.yml through the shared RepoConfigCache; an invalid file is
// captured with the defaults (the checks feature tells the users). The
// settings used are recorded for the API (DoraCapture.settings), which writes
// only when they change.
import type { Context } from "probot";
import { defaultDoraConfig } from "../../config/dora-config.js";
import type { DoraConfig } from "../../config/dora-config.js";
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import type { DoraCapture } from "../dora-capture.js";
import type { RepoConfigCache } from "../repo-config-cache.js";
import type { CaptureServices, HandlerDependencies } from "./dependencies.js";

export type RepoContext = Pick<Context, "octokit" | "id" | "name"> & {
  payload: { installation?: unknown; repository?: { name: string; owner: { login: string } | null } };
};

// Probot types payloads with @octokit/openapi-webhooks-types; the mappers take
// @octokit/webhooks-types (STYLE.md). Same JSON, two type packages: cast once here.
export function payloadAs<T>(context: { payload: unknown }): T {
  return context.payload as T;
}

/** undefined: do not capture (no installation, no repository, or `dora.enabled: false`). */
async function doraSettingsFor(
  context: RepoContext,
  capture: CaptureServices,
  dependencies: Pick<HandlerDependencies, "log" | "repoConfig">,
): Promise<DoraConfig | undefined> {
  // App deliveries always name their installation; without one there is no
  // token to read the settings or the compare API with (e.g. repository webhooks).
  if (!context.payload.installation) return undefined;
  const ownerName = context.payload.repository?.owner?.login;
  const repoName = context.payload.repository?.name;
  if (!ownerName || !repoName) return undefined;
  return repositoryDoraSettings({ ...dependencies, writer: capture.writer }, context.octokit, ownerName, repoName);
}

/**
 * A repository's DORA settings from .github/iact.yml (undefined: capture is
 * off), recorded for the API, which measures the repository with the
 * settings its facts were captured under. An invalid file: the defaults
 * (the checks feature tells the users).
 */
export async function repositoryDoraSettings(
  services: { repoConfig: Pick<RepoConfigCache, "get">; log: Pick<Logger, "warn">; writer: Pick<DoraCapture, "settings"> },
  octokit: ProbotOctokit,
  owner: string,
  name: string,
): Promise<DoraConfig | undefined> {
  const result = await services.repoConfig.get(octokit, owner, name);
  let config: DoraConfig;
  if (result.ok) {
    if (!result.config.dora.enabled) return undefined;
    config = result.config.dora;
  } else {
    services.log.warn({ repository: `${owner}/${name}`, problems: result.problems }, `invalid ${result.file}: capturing DORA data with the default settings`);
    config = defaultDoraConfig;
  }
  await services.writer.settings(`${owner}/${name}`, config);
  return config;
}

/** Runs `run` with the delivery's DORA settings; does nothing when capture is off for it. */
export async function withDoraSettings(
  context: RepoContext,
  dependencies: HandlerDependencies,
  run: (capture: CaptureServices, config: DoraConfig) => Promise<unknown>,
): Promise<void> {
  const { capture } = dependencies;
  if (!capture) return;
  const config = await doraSettingsFor(context, capture, dependencies);
  if (config) await run(capture, config);
}
