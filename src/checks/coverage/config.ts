// The `checks.coverage` section of .github/iact.yml: one zod schema that
// validates, gives the defaults and types the gate.
import { z } from "zod";
import { REPORT_FORMATS } from "./types.js";

const MB = 1024 * 1024;

/** The plan's figure (TASK-001, TASK-016): at least 80 % of the lines covered. */
export const DEFAULT_COVERAGE_THRESHOLD = 80;

/**
 * Artifact names (globs, as actions/upload-artifact names them) read by
 * default: the usual names for coverage and test-result uploads.
 */
export const DEFAULT_COVERAGE_ARTIFACTS = ["*coverage*", "*lcov*", "*junit*", "test-results*", "test-reports*"];

const percentSchema = z.number().min(0, { message: "must be a percentage from 0 to 100" }).max(100, { message: "must be a percentage from 0 to 100" });

export const coverageConfigSchema = z
  .strictObject({
    /** Publish `iact/coverage` at all. */
    enabled: z.boolean().default(true),
    /** Percent of executable lines that must be covered. */
    threshold: percentSchema.default(DEFAULT_COVERAGE_THRESHOLD),
    /** Percent of the pull request's changed executable lines that must be covered; unset: shown, not gated. */
    patchThreshold: percentSchema.optional(),
    /** Artifact names or globs to download and read. */
    artifacts: z.array(z.string().min(1).max(255)).min(1, { message: "must name at least one artifact (or glob)" }).default(DEFAULT_COVERAGE_ARTIFACTS),
    /** Report formats accepted (told by content); others in a matching artifact are refused with a note. */
    formats: z
      .array(z.enum(REPORT_FORMATS))
      .min(1, { message: "must list at least one format" })
      .default([...REPORT_FORMATS]),
    /** Largest artifact downloaded (its zip), in bytes. */
    maxArtifactBytes: z.number().int().min(1024).max(1024 * MB).default(50 * MB),
    /** Largest sum of an artifact's unpacked files, in bytes. */
    maxInflatedBytes: z.number().int().min(1024).max(2048 * MB).default(100 * MB),
    /**
     * Workflows (names or file paths, e.g. "CI" or ".github/workflows/ci.yml")
     * whose runs are read. Unset: any run with a matching artifact; runs with
     * none publish nothing, so that every other workflow does not add a run.
     */
    workflows: z.array(z.string().min(1).max(255)).min(1, { message: "must name at least one workflow, or be left out" }).optional(),
  })
  .prefault({});

export type CoverageConfig = z.output<typeof coverageConfigSchema>;
