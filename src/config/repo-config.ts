// .github/iact.yml: one zod schema for the whole file (checks, dora, reports) and a
// pure parser that turns YAML and schema errors into problems with their
// line. Reading the file from GitHub (and caching it) is
// src/github/repo-config-cache.ts; reading it from disk is `iact-bot check`.
import { z } from "zod";
import { docsConfigSchema } from "../checks/docs/index.js";
import { coverageConfigSchema } from "../checks/coverage/config.js";
import { DEFAULT_MAX_FILE_BYTES } from "../checks/file-gate.js";
import { restrictionsConfigSchema } from "../checks/restrictions/index.js";
import { securityConfigSchema } from "../checks/security/index.js";
import { doraConfigSchema } from "./dora-config.js";
import { reportsConfigSchema } from "./reports-config.js";
import { locateProblems, parseYamlText } from "./yaml-locate.js";

export const REPO_CONFIG_PATH = ".github/iact.yml";

export const repoConfigSchema = z
  .strictObject({
    checks: z
      .strictObject({
        restrictions: restrictionsConfigSchema,
        docs: docsConfigSchema,
        coverage: coverageConfigSchema,
        security: securityConfigSchema,
        /** Files over this many bytes get one `too-large` notice instead of being parsed (every check that reads files). */
        maxFileBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(DEFAULT_MAX_FILE_BYTES),
      })
      .prefault({}),
    dora: doraConfigSchema,
    reports: reportsConfigSchema,
  })
  .prefault({});

export type RepoConfig = z.output<typeof repoConfigSchema>;

export const defaultRepoConfig: RepoConfig = repoConfigSchema.parse(undefined);

export interface RepoConfigProblem {
  message: string;
  /** Dotted path of the setting, e.g. "checks.docs.root"; "" for the whole file. */
  path: string;
  line?: number;
  column?: number;
  /**
   * Where the problem is when it is not the repository's own .github/iact.yml:
   * "owner/.github:.github/iact.yml" (organisation fallback or `_extends`).
   */
  source?: string;
}

export type RepoConfigResult =
  | { ok: true; config: RepoConfig; found: boolean }
  | { ok: false; problems: RepoConfigProblem[]; file: string };

/** Pure: YAML syntax errors and schema errors, each with its line when it can be found. */
export function parseRepoConfig(yamlText: string): RepoConfigResult {
  const parsed = parseYamlText(yamlText);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, file: REPO_CONFIG_PATH };
  const value = withoutExtends(parsed.value);
  const validated = repoConfigSchema.safeParse(value);
  if (validated.success) return { ok: true, config: validated.data, found: true };
  return { ok: false, problems: locateProblems(validated.error.issues, [parsed.document]), file: REPO_CONFIG_PATH };
}

/** `_extends` is the config plugin's key, not ours: drop it before validating. */
export function withoutExtends(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  if (typeof value === "object" && !Array.isArray(value) && "_extends" in value) {
    const { _extends: _ignored, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Later (higher-priority) files override earlier ones key by key; arrays and
 * scalars are replaced, not concatenated, so a repository can shorten a list
 * its organisation set.
 */
export function mergeConfigs(layers: readonly unknown[]): unknown {
  let merged: unknown = {};
  for (const layer of layers) merged = mergeTwo(merged, layer);
  return merged;
}

function mergeTwo(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = mergeTwo(base[key], value);
  return result;
}
