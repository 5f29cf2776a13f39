import type { RuleDescription } from "../types.js";

export const NO_REDIS_DEPENDENCY: RuleDescription = {
  id: "no-redis-dependency",
  title: "No Redis in dependencies",
  level: "failure",
  docsAnchor: "no-redis-dependency",
};

export const NO_REDIS_SETTINGS: RuleDescription = {
  id: "no-redis-settings",
  title: "No Redis in Django settings",
  level: "failure",
  docsAnchor: "no-redis-settings",
};

export const NO_EMAIL_SENDING: RuleDescription = {
  id: "no-email-sending",
  title: "No email sending (SMTP) in Python code",
  level: "failure",
  docsAnchor: "no-email-sending",
};

export const SESSION_ENGINE_DB: RuleDescription = {
  id: "session-engine-db",
  title: "Django sessions stored in the database",
  level: "failure",
  docsAnchor: "session-engine-db",
};

/** Reported for manifest lines and files that cannot be read, so nothing is skipped silently. */
export const MANIFEST_PARSE_ERROR: RuleDescription = {
  id: "manifest-parse-error",
  title: "Dependency manifest could not be read",
  level: "warning",
  docsAnchor: "manifest-parse-error",
};

/** Reported for Python files the lexer cannot read to the end (an unterminated string). */
export const PYTHON_PARSE_ERROR: RuleDescription = {
  id: "python-parse-error",
  title: "Python file could not be read",
  level: "warning",
  docsAnchor: "python-parse-error",
};

export const BUILT_IN_RULES: readonly RuleDescription[] = [
  NO_REDIS_DEPENDENCY,
  NO_REDIS_SETTINGS,
  NO_EMAIL_SENDING,
  SESSION_ENGINE_DB,
];

export const BUILT_IN_RULE_IDS: readonly string[] = BUILT_IN_RULES.map((rule) => rule.id);

/** Ids a custom rule may not take. */
export const RESERVED_RULE_IDS: ReadonlySet<string> = new Set([
  ...BUILT_IN_RULE_IDS,
  MANIFEST_PARSE_ERROR.id,
  PYTHON_PARSE_ERROR.id,
]);

/** Every rule the engine can report, for documentation and the summary table. */
export const restrictionRules: RuleDescription[] = [...BUILT_IN_RULES, MANIFEST_PARSE_ERROR, PYTHON_PARSE_ERROR];

export const CUSTOM_RULES_DOCS_ANCHOR = "custom-rules";
