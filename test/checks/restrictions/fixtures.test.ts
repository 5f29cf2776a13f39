import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultRestrictionsConfig, runRestrictions } from "../../../src/checks/restrictions/index.js";
import { brief } from "./helpers.js";
import { fixtureFiles } from "./memory-files.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/restrictions");

describe("restrictions on a Django project (end to end, default configuration)", () => {
  it("a compliant project passes, with redis and send_mail only in comments, docstrings and prose", async () => {
    const files = await fixtureFiles(path.join(fixtures, "compliant"));
    const result = await runRestrictions(files, defaultRestrictionsConfig);
    expect(result.findings).toEqual([]);
    expect(result.rules.map((rule) => rule.id)).toEqual([
      "no-redis-dependency",
      "manifest-parse-error",
      "no-redis-settings",
      "session-engine-db",
      "no-email-sending",
      "python-parse-error",
    ]);
  });

  it("reads only the files its rules need: manifests and Python, each once; never README.md or .js", async () => {
    const files = await fixtureFiles(path.join(fixtures, "compliant"));
    await runRestrictions(files, defaultRestrictionsConfig);
    expect(files.readPaths()).toEqual([
      "api/callcentersite/callcentersite/settings/__init__.py",
      "api/callcentersite/callcentersite/settings/base.py",
      "api/callcentersite/callcentersite/settings/prod.py",
      "api/callcentersite/notifications/services.py",
      "frontend/package.json",
      "pyproject.toml",
      "requirements.txt",
      "requirements/base.txt",
    ]);
    expect([...files.reads.values()].every((count) => count === 1)).toBe(true);
  });

  it("with only the dependency rule on, no Python file is read", async () => {
    const files = await fixtureFiles(path.join(fixtures, "compliant"));
    const off = { level: "off" as const, ignore: [] };
    await runRestrictions(files, {
      ...defaultRestrictionsConfig,
      rules: { ...defaultRestrictionsConfig.rules, "no-redis-settings": off, "no-email-sending": off, "session-engine-db": off },
    });
    expect(files.readPaths()).toEqual(["frontend/package.json", "pyproject.toml", "requirements.txt", "requirements/base.txt"]);
  });

  it("a project that violates every rule gets a finding for each violation, at its line", async () => {
    const files = await fixtureFiles(path.join(fixtures, "violating"));
    const result = await runRestrictions(files, defaultRestrictionsConfig);
    const settings = "api/callcentersite/callcentersite/settings";
    expect(result.findings.map(brief)).toEqual([
      "manifest-parse-error Pipfile:3 warning",
      // One CACHES dictionary, one finding (lines 5-6).
      `no-redis-settings ${settings}/base.py:5 failure`,
      `session-engine-db ${settings}/prod.py:3 failure`,
      `no-email-sending ${settings}/prod.py:4 failure`,
      `no-email-sending ${settings}/prod.py:9 failure`,
      "no-email-sending api/callcentersite/notifications/mailer.py:1 failure",
      "no-email-sending api/callcentersite/notifications/mailer.py:7 failure",
      "no-email-sending api/callcentersite/notifications/mailer.py:8 failure",
      "no-redis-dependency frontend/package.json:5 failure",
      "no-redis-dependency frontend/package.json:8 failure",
      "no-redis-dependency requirements.txt:2 failure",
      "manifest-parse-error requirements.txt:4 warning",
      "no-redis-dependency requirements/base.txt:1 failure",
      "no-redis-dependency requirements/base.txt:2 failure",
    ]);
    for (const finding of result.findings) {
      expect(finding.endLine).toBeGreaterThanOrEqual(finding.startLine);
      expect(finding.message).not.toBe("");
    }
  });
});
