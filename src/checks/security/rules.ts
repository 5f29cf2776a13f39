import type { RuleDescription } from "../types.js";
import { PYTHON_PARSE_ERROR } from "../restrictions/rules.js";

export const COMMITTED_SECRET: RuleDescription = {
  id: "committed-secret",
  title: "No secrets committed",
  level: "failure",
  docsAnchor: "committed-secret",
};

export const DJANGO_DEBUG: RuleDescription = {
  id: "django-debug",
  title: "DEBUG off outside development settings",
  level: "failure",
  docsAnchor: "django-debug",
};

export const DJANGO_SECRET_KEY: RuleDescription = {
  id: "django-secret-key",
  title: "SECRET_KEY read from the environment",
  level: "failure",
  docsAnchor: "django-secret-key",
};

export const DJANGO_ALLOWED_HOSTS: RuleDescription = {
  id: "django-allowed-hosts",
  title: "ALLOWED_HOSTS without a wildcard",
  level: "failure",
  docsAnchor: "django-allowed-hosts",
};

export const DJANGO_INSECURE_COOKIES: RuleDescription = {
  id: "django-insecure-cookies",
  title: "Session and CSRF cookies sent over HTTPS only",
  level: "failure",
  docsAnchor: "django-insecure-cookies",
};

export const AUDIT_MODEL_MUTABLE: RuleDescription = {
  id: "audit-model-mutable",
  title: "Audit models refuse updates and deletes",
  level: "failure",
  docsAnchor: "audit-model-mutable",
};

/** The Python lexer's own finding, shared with the restrictions engine. */
export { PYTHON_PARSE_ERROR };

/** Every rule the engine can report, for documentation and the summary table. */
export const securityRules: RuleDescription[] = [
  COMMITTED_SECRET,
  DJANGO_DEBUG,
  DJANGO_SECRET_KEY,
  DJANGO_ALLOWED_HOSTS,
  DJANGO_INSECURE_COOKIES,
  AUDIT_MODEL_MUTABLE,
  PYTHON_PARSE_ERROR,
];
