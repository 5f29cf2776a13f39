import { describe, expect, it } from "vitest";
import {
  defaultRestrictionsConfig,
  restrictionRules,
  restrictionsConfigSchema,
  runRestrictions,
} from "../../../src/checks/restrictions/index.js";
import { memoryFiles } from "./memory-files.js";

function issues(section: unknown): { path: string; message: string }[] {
  const result = restrictionsConfigSchema.safeParse(section);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

describe("checks.restrictions configuration", () => {
  it("parse(undefined) and parse({}) give the defaults", () => {
    expect(restrictionsConfigSchema.parse(undefined)).toEqual(defaultRestrictionsConfig);
    expect(restrictionsConfigSchema.parse({})).toEqual(defaultRestrictionsConfig);
    expect(defaultRestrictionsConfig).toMatchObject({
      enabled: true,
      rules: {
        "no-redis-dependency": { level: "failure", ignore: [] },
        "no-redis-settings": { level: "failure", ignore: [] },
        "no-email-sending": { level: "failure", ignore: [] },
        "session-engine-db": { level: "failure", ignore: [] },
      },
      forbiddenDependencies: [],
      custom: [],
    });
    expect(defaultRestrictionsConfig.ignore).toContain("**/node_modules/**");
    expect(defaultRestrictionsConfig.djangoSettings).toContain("**/settings/**/*.py");
  });

  it("a rule accepts a level or an object; unset keys keep their defaults", () => {
    const config = restrictionsConfigSchema.parse({
      rules: { "no-email-sending": "warning", "session-engine-db": { ignore: ["legacy/**"] } },
    });
    expect(config.rules["no-email-sending"]).toEqual({ level: "warning", ignore: [] });
    expect(config.rules["session-engine-db"]).toEqual({ level: "failure", ignore: ["legacy/**"] });
    expect(config.rules["no-redis-dependency"]).toEqual({ level: "failure", ignore: [] });
  });

  it.each([
    { name: "a typo at the top level", section: { forbidenDependencies: ["x"] }, path: "", message: "forbidenDependencies" },
    { name: "an unknown rule", section: { rules: { "no-redis": "off" } }, path: "rules", message: "no-redis" },
    { name: "a bad level", section: { rules: { "no-redis-settings": "error" } }, path: "rules.no-redis-settings", message: "" },
    {
      name: "an unknown key in a custom rule",
      section: { custom: [{ id: "x", type: "forbidden-path", paths: ["a"], message: "m", severity: "warning" }] },
      path: "custom.0",
      message: "severity",
    },
    { name: "an unknown custom rule type", section: { custom: [{ id: "x", type: "forbidden-file", message: "m" }] }, path: "custom.0.type", message: "" },
    {
      name: "an invalid regular expression",
      section: { custom: [{ id: "x", type: "forbidden-pattern", pattern: "(", language: "python", message: "m" }] },
      path: "custom.0.pattern",
      message: "invalid regular expression",
    },
    {
      name: "a custom id that is a built-in id",
      section: { custom: [{ id: "no-redis-settings", type: "forbidden-path", paths: ["a"], message: "m" }] },
      path: "custom.0.id",
      message: "built-in",
    },
    {
      name: "duplicate custom ids",
      section: {
        custom: [
          { id: "x", type: "forbidden-path", paths: ["a"], message: "m" },
          { id: "x", type: "required-path", paths: ["b"], message: "m" },
        ],
      },
      path: "custom.1.id",
      message: "duplicate",
    },
    {
      name: "a forbidden-pattern on any language without paths",
      section: { custom: [{ id: "x", type: "forbidden-pattern", pattern: "a", message: "m" }] },
      path: "custom.0.paths",
      message: "needs paths",
    },
    { name: "a custom id that is not kebab-case", section: { custom: [{ id: "No Memcached", type: "forbidden-path", paths: ["a"], message: "m" }] }, path: "custom.0.id", message: "lower-case" },
  ])("rejects $name with its path", ({ section, path, message }) => {
    const found = issues(section);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((issue) => issue.path === path && issue.message.includes(message))).toBe(true);
  });

  it("applies defaults inside custom rules", () => {
    const config = restrictionsConfigSchema.parse({
      custom: [{ id: "no-memcached", type: "forbidden-dependency", names: ["pymemcache"], message: "Use the database cache." }],
    });
    expect(config.custom[0]).toEqual({
      id: "no-memcached",
      type: "forbidden-dependency",
      names: ["pymemcache"],
      ecosystems: ["python", "npm"],
      message: "Use the database cache.",
      level: "failure",
      ignore: [],
    });
  });

  it("enabled: false runs nothing and reads nothing", async () => {
    const files = memoryFiles({ "requirements.txt": "redis\n" });
    expect(await runRestrictions(files, restrictionsConfigSchema.parse({ enabled: false }))).toEqual({ rules: [], findings: [] });
    expect(files.readPaths()).toEqual([]);
  });
});

describe("restrictionRules", () => {
  it("describes every built-in rule with a docs anchor equal to its id", () => {
    expect(restrictionRules.map((rule) => rule.id)).toEqual([
      "no-redis-dependency",
      "no-redis-settings",
      "no-email-sending",
      "session-engine-db",
      "manifest-parse-error",
      "python-parse-error",
    ]);
    for (const rule of restrictionRules) expect(rule.docsAnchor).toBe(rule.id);
  });

  it("lists the rules that ran, with their configured levels, and leaves out rules turned off", async () => {
    const config = restrictionsConfigSchema.parse({
      rules: { "no-email-sending": "off", "no-redis-settings": "warning" },
      custom: [{ id: "no-env-files", type: "forbidden-path", paths: ["**/.env"], message: "Secrets go in the vault.", title: "No .env files" }],
    });
    const result = await runRestrictions(memoryFiles({}), config);
    expect(result.rules.map((rule) => `${rule.id}:${rule.level}`)).toEqual([
      "no-redis-dependency:failure",
      "manifest-parse-error:warning",
      "no-redis-settings:warning",
      "session-engine-db:failure",
      "no-env-files:failure",
      "python-parse-error:warning",
    ]);
    expect(result.rules.at(-2)).toEqual({ id: "no-env-files", title: "No .env files", level: "failure", docsAnchor: "custom-rules" });
  });
});
