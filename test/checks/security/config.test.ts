import { describe, expect, it } from "vitest";
import { defaultSecurityConfig, runSecurity, securityConfigSchema, securityRules } from "../../../src/checks/security/index.js";
import { parseRepoConfig } from "../../../src/config/repo-config.js";
import { memoryFiles } from "../restrictions/memory-files.js";
import { briefsFor } from "./helpers.js";

describe("checks.security configuration", () => {
  it("parse(undefined) gives the defaults: every rule on, failure", () => {
    expect(securityConfigSchema.parse({})).toEqual(defaultSecurityConfig);
    expect(defaultSecurityConfig).toMatchObject({ enabled: true, allow: [], auditModels: [], devSettings: ["dev", "development", "local", "test", "testing", "example"], productionSettings: ["prod", "production"] });
    for (const rule of Object.values(defaultSecurityConfig.rules)) expect(rule).toEqual({ level: "failure", ignore: [] });
    expect(defaultSecurityConfig.djangoSettingsIgnore).toContain("**/tests/**");
    expect(defaultSecurityConfig.testPaths).toContain("**/fixtures/**");
  });

  it.each([
    ["a misspelt setting", "checks:\n  security:\n    auditModel: [AuditLog]\n", "checks.security.auditModel", 'unknown setting "auditModel"', 3],
    ["an unknown rule", "checks:\n  security:\n    rules:\n      secrets: off\n", "checks.security.rules.secrets", 'unknown setting "secrets"', 4],
    ["a level that does not exist", "checks:\n  security:\n    rules:\n      committed-secret: error\n", "checks.security.rules.committed-secret", "invalid value", 4],
    ["an audit model that is not a Python name", "checks:\n  security:\n    auditModels: [\"audit log\"]\n", "checks.security.auditModels.0", 'an audit model is a class name ("AuditLog") or a dotted path to it ("app.models.AuditLog")', 3],
    ["a raw secret where a fingerprint goes", "checks:\n  security:\n    allow:\n      - fingerprint: abc123\n", "checks.security.allow.0.fingerprint", 'a fingerprint is "sha256:" and 64 hex digits, as the finding shows it', 4],
    ["a dev settings word with a path in it", "checks:\n  security:\n    devSettings: [settings/dev.py]\n", "checks.security.devSettings.0", "a settings name word is letters and digits, e.g. staging", 3],
  ])("refuses %s with its path and line", (_name, yaml, path, message, line) => {
    const result = parseRepoConfig(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((candidate) => candidate.path === path);
    expect(problem?.message ?? result.problems).toContain(message);
    expect(problem?.line).toBe(line);
  });

  it("a level per rule, or off; a rule's ignore globs", async () => {
    const files = { "proj/settings.py": "DEBUG = True\n", "legacy/settings.py": "DEBUG = True\n" };
    expect(await briefsFor(files, { rules: { "django-debug": "warning", "django-insecure-cookies": "off" } })).toEqual([
      "django-debug legacy/settings.py:1 warning",
      "django-debug proj/settings.py:1 warning",
    ]);
    expect(await briefsFor(files, { rules: { "django-debug": { ignore: ["legacy/**"] }, "django-insecure-cookies": "off" } })).toEqual(["django-debug proj/settings.py:1 failure"]);
  });

  it("enabled: false runs nothing and reads nothing", async () => {
    const files = memoryFiles({ "proj/settings.py": "DEBUG = True\n" });
    expect(await runSecurity(files, securityConfigSchema.parse({ enabled: false }))).toEqual({ rules: [], findings: [] });
    expect(files.readPaths()).toEqual([]);
  });

  it("lists every rule it ran in the summary table, python-parse-error included", async () => {
    const result = await runSecurity(memoryFiles({}), defaultSecurityConfig);
    expect(result.rules.map((rule) => rule.id)).toEqual(securityRules.map((rule) => rule.id));
  });
});
