// checks.coverage in .github/iact.yml: defaults, and a precise problem with
// its line for each bad value.
import { describe, expect, it } from "vitest";
import { coverageConfigSchema } from "../../../src/checks/coverage/config.js";
import { parseRepoConfig } from "../../../src/config/repo-config.js";

describe("checks.coverage", () => {
  it("has the documented defaults", () => {
    expect(coverageConfigSchema.parse(undefined)).toEqual({
      enabled: true,
      threshold: 80,
      artifacts: ["*coverage*", "*lcov*", "*junit*", "test-results*", "test-reports*"],
      formats: ["cobertura", "lcov", "junit"],
      maxArtifactBytes: 50 * 1024 * 1024,
      maxInflatedBytes: 100 * 1024 * 1024,
    });
  });

  it("reads a full section from .github/iact.yml", () => {
    const result = parseRepoConfig(
      ["checks:", "  coverage:", "    threshold: 85.5", "    patchThreshold: 90", "    artifacts: [py-coverage]", "    formats: [cobertura, junit]", "    workflows: [CI]", "    maxArtifactBytes: 1048576", ""].join("\n"),
    );
    expect(result.ok && result.config.checks.coverage).toMatchObject({ threshold: 85.5, patchThreshold: 90, artifacts: ["py-coverage"], formats: ["cobertura", "junit"], workflows: ["CI"], maxArtifactBytes: 1048576 });
  });

  it.each([
    { yaml: "    threshold: 120", path: "checks.coverage.threshold", message: /percentage from 0 to 100/ },
    { yaml: "    patchThreshold: -1", path: "checks.coverage.patchThreshold", message: /percentage from 0 to 100/ },
    { yaml: "    artifacts: []", path: "checks.coverage.artifacts", message: /at least one artifact/ },
    { yaml: "    formats: [jacoco]", path: "checks.coverage.formats.0", message: /cobertura|lcov|junit/ },
    { yaml: "    workflows: []", path: "checks.coverage.workflows", message: /at least one workflow/ },
    { yaml: "    maxArtifactBytes: 10", path: "checks.coverage.maxArtifactBytes", message: /1024/ },
    { yaml: "    treshold: 80", path: "checks.coverage.treshold", message: /treshold/ },
  ])("$yaml is a problem at $path, line 3", ({ yaml, path, message }) => {
    const result = parseRepoConfig(`checks:\n  coverage:\n${yaml}\n`);
    expect(result.ok).toBe(false);
    const problem = !result.ok ? result.problems[0] : undefined;
    expect(problem).toMatchObject({ path, line: 3 });
    expect(problem?.message).toMatch(message);
  });
});
