// checks.coverage in .github/iact.yml: defaults, and a precise problem with
// its line for each bad value.
import { readFileSync } from "node:fs";
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

describe("docs/rules/coverage.md", () => {
  const doc = readFileSync("docs/rules/coverage.md", "utf8");

  it("shows a configuration example that is valid", () => {
    const example = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const result = parseRepoConfig(example!);
    expect(result.ok && result.config.checks.coverage).toMatchObject({ threshold: 80, patchThreshold: 90, workflows: ["CI"] });
  });

  it("documents the schema's defaults", () => {
    const defaults = coverageConfigSchema.parse(undefined);
    const row = (key: string) => new RegExp(`^\\| \`${key}\` \\| ([^|]+) \\|`, "m").exec(doc)?.[1]?.trim();
    expect(row("enabled")).toBe(`\`${defaults.enabled}\``);
    expect(row("threshold")).toBe(`\`${defaults.threshold}\``);
    expect(row("maxArtifactBytes")).toBe(`\`${defaults.maxArtifactBytes}\` (50 MB)`);
    expect(row("maxInflatedBytes")).toBe(`\`${defaults.maxInflatedBytes}\` (100 MB)`);
    expect(doc).toContain(`artifacts: ${JSON.stringify(defaults.artifacts).replace(/,/g, ", ")}`);
  });
});
