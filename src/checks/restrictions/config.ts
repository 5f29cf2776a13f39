// The `checks.restrictions` section of .github/iact.yml. Every object is
// strict so that a typo ("forbidenDependencies") is an error with its path,
// not a setting silently ignored. docs/rules/restrictions.md documents it.

import { z } from "zod";
import type { FindingLevel } from "../types.js";
import { BUILT_IN_RULE_IDS, RESERVED_RULE_IDS } from "./rules.js";

export const levelSchema = z.enum(["failure", "warning", "notice", "off"]);
export type RuleLevel = z.output<typeof levelSchema>;

/** Whether a rule at this level runs (every level but "off" is a finding level). */
export function ruleIsOn(level: RuleLevel): level is FindingLevel {
  return level !== "off";
}

export const globSchema = z.string().trim().min(1, "a glob must not be empty");
export const globListSchema = z.array(globSchema);

/** `"warning"` or `{ level: "warning", ignore: ["legacy/**"] }`, normalised to the object form. */
export const builtInRuleSchema = z
  .union([
    levelSchema,
    z.strictObject({
      level: levelSchema.optional(),
      /** Paths this rule does not look at (added to the section's `ignore`). */
      ignore: globListSchema.optional(),
    }),
  ])
  .optional()
  .transform((setting) => {
    if (setting === undefined) return { level: "failure" as RuleLevel, ignore: [] as string[] };
    if (typeof setting === "string") return { level: setting, ignore: [] as string[] };
    return { level: setting.level ?? "failure", ignore: setting.ignore ?? [] };
  });

const rulesSchema = z
  .strictObject({
    "no-redis-dependency": builtInRuleSchema,
    "no-redis-settings": builtInRuleSchema,
    "no-email-sending": builtInRuleSchema,
    "session-engine-db": builtInRuleSchema,
  })
  .prefault({});

const ruleIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a rule id is lower-case words joined by '-', e.g. no-memcached");

const customBase = {
  id: ruleIdSchema,
  /** One line for the summary table; defaults to the id. */
  title: z.string().min(1).optional(),
  /** Shown on every finding of the rule: say what to do instead. */
  message: z.string().min(1),
  level: levelSchema.default("failure"),
  /** Paths this rule does not look at (added to the section's `ignore`). */
  ignore: globListSchema.default([]),
};

const ecosystemSchema = z.enum(["python", "npm"]);

const regexSchema = z.string().min(1).superRefine((pattern, context) => {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    context.addIssue({ code: "custom", message: `invalid regular expression: ${(error as Error).message}` });
  }
});

const customRuleSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...customBase,
    type: z.literal("forbidden-dependency"),
    /** PyPI names (compared after PEP 503 normalisation) and/or npm names (`@scope/*` for a scope). */
    names: z.array(z.string().trim().min(1)).min(1),
    ecosystems: z.array(ecosystemSchema).min(1).default(["python", "npm"]),
  }),
  z.strictObject({
    ...customBase,
    type: z.literal("forbidden-pattern"),
    /** JavaScript regular expression (Unicode mode), matched against each file. */
    pattern: regexSchema,
    /** "i" (ignore case), "m" (^ and $ per line), "s" (. matches newlines). */
    flags: z.string().regex(/^[ims]*$/, "flags may only use i, m and s").default(""),
    /** python/javascript: comments and string literals are blanked before matching. */
    language: z.enum(["python", "javascript", "any"]).default("any"),
    /** Files to search; defaults by language (python: **\/*.py; javascript: JS/TS sources). Required for "any". */
    paths: globListSchema.min(1).optional(),
  }),
  z.strictObject({
    ...customBase,
    type: z.literal("required-setting"),
    /** A Django setting name, e.g. "DEBUG". */
    setting: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a setting is a Python identifier"),
    /** The literal value every assignment must have. */
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
    /** Settings modules to look in; defaults to the section's `djangoSettings`. */
    settings: globListSchema.min(1).optional(),
  }),
  z.strictObject({
    ...customBase,
    type: z.literal("required-path"),
    /** Each glob must match at least one file. */
    paths: globListSchema.min(1),
  }),
  z.strictObject({
    ...customBase,
    type: z.literal("forbidden-path"),
    /** No file may match any of these globs. */
    paths: globListSchema.min(1),
  }),
]);

export type CustomRuleConfig = z.output<typeof customRuleSchema>;

export const DEFAULT_IGNORE = [
  "**/node_modules/**",
  "**/.git/**",
  "**/.venv/**",
  "**/venv/**",
  "**/.tox/**",
  "**/site-packages/**",
  "**/__pypackages__/**",
];

export const DEFAULT_DJANGO_SETTINGS = [
  "**/settings.py",
  "**/settings_*.py",
  "**/*_settings.py",
  "**/settings/**/*.py",
  // Settings modules by another name, e.g. NetBox's configuration.py and configuration_example.py.
  "**/configuration.py",
  "**/configuration_*.py",
];

/**
 * Test code that lives where settings globs look (`tests/settings/test_cache.py`,
 * `settings/conftest.py`) is not a settings module: pytest files name Redis and
 * SMTP to test that they are refused.
 */
export const DEFAULT_DJANGO_SETTINGS_IGNORE = [
  "**/tests/**",
  "**/test/**",
  "**/test_*.py",
  "**/*_test.py",
  "**/*_tests.py",
  "**/conftest.py",
];

export const restrictionsConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    rules: rulesSchema,
    /** Paths no rule looks at: vendored and generated code. Replaces the default list when set. */
    ignore: globListSchema.default(DEFAULT_IGNORE),
    /** Where Django settings modules live. */
    djangoSettings: globListSchema.min(1).default(DEFAULT_DJANGO_SETTINGS),
    /** Paths matched by `djangoSettings` that are not settings modules (tests). Replaces the default list when set. */
    djangoSettingsIgnore: globListSchema.default(DEFAULT_DJANGO_SETTINGS_IGNORE),
    /** More package names for no-redis-dependency (PyPI and npm; `@scope/*` for a scope). */
    forbiddenDependencies: z.array(z.string().trim().min(1)).default([]),
    custom: z.array(customRuleSchema).default([]),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.custom.forEach((rule, index) => {
      if (RESERVED_RULE_IDS.has(rule.id)) {
        context.addIssue({
          code: "custom",
          path: ["custom", index, "id"],
          message: `"${rule.id}" is a built-in rule id; configure it under rules.${BUILT_IN_RULE_IDS.includes(rule.id) ? rule.id : "*"} or pick another id`,
        });
      } else if (seen.has(rule.id)) {
        context.addIssue({ code: "custom", path: ["custom", index, "id"], message: `duplicate custom rule id "${rule.id}"` });
      }
      seen.add(rule.id);
      if (rule.type === "forbidden-pattern" && rule.language === "any" && rule.paths === undefined) {
        context.addIssue({
          code: "custom",
          path: ["custom", index, "paths"],
          message: 'a forbidden-pattern rule with language "any" needs paths (globs of the files to search)',
        });
      }
    });
  })
  .prefault({});

export type RestrictionsConfig = z.output<typeof restrictionsConfigSchema>;

export const defaultRestrictionsConfig: RestrictionsConfig = restrictionsConfigSchema.parse(undefined);
