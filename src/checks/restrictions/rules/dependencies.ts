// no-redis-dependency and custom forbidden-dependency rules: both judge the
// same parsed list of declared dependencies.

import type { FindingLevel, RuleDescription } from "../../types.js";
import { globMatcher, type RuleContext } from "../context.js";
import { normalisePythonName } from "../manifests/pep508.js";
import type { Dependency, ManifestResult } from "../manifests/types.js";
import { npmNameMatches, pythonNameMatches, REDIS_EXTRAS, REDIS_NPM_PACKAGES, REDIS_PYTHON_PACKAGES } from "../redis-packages.js";
import { MANIFEST_PARSE_ERROR, NO_EMAIL_SENDING, NO_REDIS_DEPENDENCY } from "../rules.js";

export interface DependencyRule {
  rule: RuleDescription;
  level: FindingLevel;
  ignore: readonly string[];
  ecosystems: ReadonlySet<Dependency["ecosystem"]>;
  /** Why the dependency is forbidden, or undefined if it is allowed. */
  judge(dependency: Dependency): string | undefined;
}

export function redisDependencyRule(level: FindingLevel, ignore: readonly string[], extraNames: readonly string[]): DependencyRule {
  return {
    rule: NO_REDIS_DEPENDENCY,
    level,
    ignore,
    ecosystems: new Set(["python", "npm"]),
    judge(dependency) {
      const shown = displayName(dependency);
      if (dependency.ecosystem === "python") {
        const known = REDIS_PYTHON_PACKAGES.get(normalisePythonName(dependency.name));
        if (known) return `${shown} is forbidden: ${known}.`;
        const extra = dependency.extras.find((name) => REDIS_EXTRAS.has(normalisePythonName(name)));
        if (extra) return `${dependency.name}[${extra}] is forbidden: the "${extra}" extra installs the Redis client.`;
        if (extraNames.some((name) => pythonNameMatches(name, dependency.name))) {
          return `${shown} is forbidden: it is listed in checks.restrictions.forbiddenDependencies.`;
        }
        return undefined;
      }
      for (const [pattern, why] of REDIS_NPM_PACKAGES) {
        if (npmNameMatches(pattern, dependency.name)) return `${shown} is forbidden: ${why}.`;
      }
      if (extraNames.some((name) => npmNameMatches(name, dependency.name))) {
        return `${shown} is forbidden: it is listed in checks.restrictions.forbiddenDependencies.`;
      }
      return undefined;
    },
  };
}

/** PyPI packages whose only job is sending mail (PEP 503 names). */
const EMAIL_PYTHON_PACKAGES: ReadonlyMap<string, string> = new Map([
  ["sendgrid", "the SendGrid SDK sends email"],
  ["django-anymail", "django-anymail sends email through a service"],
  ["postmarker", "the Postmark SDK sends email"],
  ["mailgun", "the Mailgun SDK sends email"],
  ["mailjet-rest", "the Mailjet SDK sends email"],
  ["mailchimp-transactional", "the Mailchimp Transactional (Mandrill) SDK sends email"],
  ["django-ses", "django-ses sends email through Amazon SES"],
  ["aiosmtplib", "aiosmtplib sends email over SMTP"],
  ["yagmail", "yagmail sends email over SMTP"],
  ["flask-mail", "Flask-Mail sends email over SMTP"],
]);

/** npm packages whose only job is sending mail (`@scope/*` for a scope). */
const EMAIL_NPM_PACKAGES: ReadonlyMap<string, string> = new Map([
  ["nodemailer", "nodemailer sends email over SMTP"],
  ["@sendgrid/mail", "the SendGrid SDK sends email"],
  ["mailgun.js", "the Mailgun SDK sends email"],
  ["mailgun-js", "the Mailgun SDK sends email"],
  ["postmark", "the Postmark SDK sends email"],
  ["node-mailjet", "the Mailjet SDK sends email"],
  ["@aws-sdk/client-ses", "Amazon SES sends email"],
  ["@aws-sdk/client-sesv2", "Amazon SES sends email"],
  ["emailjs", "emailjs sends email over SMTP"],
]);

const EMAIL_REMEDY = " RNF-002 forbids email/SMTP: notify through the application instead.";

/** no-email-sending's part in the manifests: SMTP clients and email-service SDKs as dependencies. */
export function emailDependencyRule(level: FindingLevel, ignore: readonly string[]): DependencyRule {
  return {
    rule: NO_EMAIL_SENDING,
    level,
    ignore,
    ecosystems: new Set(["python", "npm"]),
    judge(dependency) {
      const why =
        dependency.ecosystem === "python"
          ? EMAIL_PYTHON_PACKAGES.get(normalisePythonName(dependency.name))
          : [...EMAIL_NPM_PACKAGES].find(([pattern]) => npmNameMatches(pattern, dependency.name))?.[1];
      return why ? `${displayName(dependency)} is forbidden: ${why}.${EMAIL_REMEDY}` : undefined;
    },
  };
}

export function customDependencyRule(
  rule: RuleDescription,
  level: FindingLevel,
  ignore: readonly string[],
  names: readonly string[],
  ecosystems: readonly Dependency["ecosystem"][],
  message: string,
): DependencyRule {
  return {
    rule,
    level,
    ignore,
    ecosystems: new Set(ecosystems),
    judge(dependency) {
      const matches =
        dependency.ecosystem === "python"
          ? names.some((name) => pythonNameMatches(name, dependency.name))
          : names.some((name) => npmNameMatches(name, dependency.name));
      return matches ? `${displayName(dependency)}: ${message}` : undefined;
    },
  };
}

function displayName(dependency: Dependency): string {
  const extras = dependency.extras.length > 0 ? `[${dependency.extras.join(",")}]` : "";
  const name = `"${dependency.name}${extras}"`;
  return dependency.alias ? `"${dependency.alias}" (an npm alias of ${name})` : name;
}

const REDIS_REMEDY =
  " RNF-002 forbids Redis: cache in the database (django.core.cache.backends.db.DatabaseCache) and keep sessions in the database.";

export function reportDependencies(context: RuleContext, manifests: ManifestResult, rules: readonly DependencyRule[]): void {
  for (const problem of manifests.problems) {
    context.report(MANIFEST_PARSE_ERROR, "warning", {
      path: problem.path,
      startLine: problem.line,
      ...(problem.column !== undefined ? { startColumn: problem.column } : {}),
      message: `${problem.message}. ${problem.consequence ?? "The line was not checked for forbidden dependencies."}`,
    });
  }
  for (const dependencyRule of rules) {
    const ignored = globMatcher(dependencyRule.ignore);
    for (const dependency of manifests.dependencies) {
      if (!dependencyRule.ecosystems.has(dependency.ecosystem) || ignored(dependency.path)) continue;
      const why = dependencyRule.judge(dependency);
      if (!why) continue;
      const remedy = dependencyRule.rule.id === NO_REDIS_DEPENDENCY.id ? REDIS_REMEDY : "";
      context.report(dependencyRule.rule, dependencyRule.level, {
        path: dependency.path,
        startLine: dependency.line,
        ...(dependency.column !== undefined ? { startColumn: dependency.column } : {}),
        ...(dependency.endColumn !== undefined ? { endColumn: dependency.endColumn } : {}),
        message: `${why}${remedy} (${dependency.section})`,
      });
    }
  }
}
