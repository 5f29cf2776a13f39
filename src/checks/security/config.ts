// The `checks.security` section of .github/iact.yml. Same style as
// `checks.restrictions`: strict objects, so a typo is an error with its path,
// and each rule takes a level (or `{ level, ignore }`). docs/rules/security.md
// documents it.

import { z } from "zod";
import {
  builtInRuleSchema,
  DEFAULT_DJANGO_SETTINGS,
  DEFAULT_DJANGO_SETTINGS_IGNORE,
  DEFAULT_IGNORE,
  globListSchema,
} from "../restrictions/config.js";

const rulesSchema = z
  .strictObject({
    "committed-secret": builtInRuleSchema,
    "django-debug": builtInRuleSchema,
    "django-secret-key": builtInRuleSchema,
    "django-allowed-hosts": builtInRuleSchema,
    "django-insecure-cookies": builtInRuleSchema,
    "audit-model-mutable": builtInRuleSchema,
  })
  .prefault({});

/** SHA-256 of the secret, as the finding shows it: "sha256:" and 64 hex digits. */
export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * One entry of `allow`: a fingerprint (that secret, anywhere or only in
 * `paths`), or `paths` alone (no secret is reported there). The secret
 * itself never goes in the configuration, only its hash.
 */
const allowEntrySchema = z
  .strictObject({
    fingerprint: z
      .string()
      .trim()
      .toLowerCase()
      .regex(FINGERPRINT_PATTERN, 'a fingerprint is "sha256:" and 64 hex digits, as the finding shows it')
      .optional(),
    paths: globListSchema.min(1).optional(),
    /** Why it is allowed; shown to nobody, kept for reviewers. */
    reason: z.string().min(1).optional(),
  })
  .refine((entry) => entry.fingerprint !== undefined || entry.paths !== undefined, {
    message: "an allow entry needs a fingerprint, paths, or both",
  });

export type AllowEntry = z.output<typeof allowEntrySchema>;

/**
 * Settings modules whose name says they are not production: a module is a
 * dev module when one of the words of its file name (split at `_`, `-`, `.`)
 * is in this list: `settings/dev.py`, `local_settings.py`,
 * `settings_development.py`, `configuration_example.py`.
 */
export const DEFAULT_DEV_SETTINGS = ["dev", "development", "local", "test", "testing", "example"];

/** Words of a settings module's name that mark it as the production module (for settings that must be set). */
export const DEFAULT_PRODUCTION_SETTINGS = ["prod", "production"];

/**
 * Where secrets in a file are a notice, not a failure: test suites and
 * fixtures carry throw-away keys (a test RSA key, a fake token) on purpose.
 */
export const DEFAULT_TEST_PATHS = [
  "**/tests/**",
  "**/test/**",
  "**/__tests__/**",
  "**/spec/**",
  "**/fixtures/**",
  "**/testdata/**",
  "**/test_*.py",
  "**/*_test.py",
  "**/*_tests.py",
  "**/conftest.py",
  "**/*.test.*",
  "**/*.spec.*",
];

/** `AuditLog` (any module) or `app.models.AuditEntry` (that module only). */
const auditModelSchema = z
  .string()
  .trim()
  .regex(
    /^(?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z_][A-Za-z0-9_]*$/,
    'an audit model is a class name ("AuditLog") or a dotted path to it ("app.models.AuditLog")',
  );

const nameListSchema = z.array(
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+$/, "a settings name word is letters and digits, e.g. staging"),
);

export const securityConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    rules: rulesSchema,
    /** Paths no rule looks at: vendored and generated code. Replaces the default list when set. */
    ignore: globListSchema.default(DEFAULT_IGNORE),
    /** Secrets and fingerprints that are not reported. */
    allow: z.array(allowEntrySchema).default([]),
    /** Paths where a committed secret is a notice (test keys). Replaces the default list when set. */
    testPaths: globListSchema.default(DEFAULT_TEST_PATHS),
    /** Where Django settings modules live (the restrictions check's defaults). */
    djangoSettings: globListSchema.min(1).default(DEFAULT_DJANGO_SETTINGS),
    /** Paths matched by `djangoSettings` that are not settings modules (tests). Replaces the default list when set. */
    djangoSettingsIgnore: globListSchema.default(DEFAULT_DJANGO_SETTINGS_IGNORE),
    /** Words of a settings module's name that mark a development module. Replaces the default list when set. */
    devSettings: nameListSchema.default(DEFAULT_DEV_SETTINGS),
    /** Words of a settings module's name that mark the production module. Replaces the default list when set. */
    productionSettings: nameListSchema.default(DEFAULT_PRODUCTION_SETTINGS),
    /** Django models that must refuse updates and deletes (plan TASK-004). */
    auditModels: z.array(auditModelSchema).default([]),
  })
  .prefault({});

export type SecurityConfig = z.output<typeof securityConfigSchema>;

export const defaultSecurityConfig: SecurityConfig = securityConfigSchema.parse(undefined);
