// runRestrictions as one pipeline: decide which rules run, collect what they
// need (manifests, settings modules, Python files), judge, and sort.

import type { EngineResult, FindingLevel, RepoFiles, RuleDescription } from "../types.js";
import { sortFindings } from "../sort-findings.js";
import { ruleIsOn, type CustomRuleConfig, type RestrictionsConfig } from "./config.js";
import { RuleContext } from "./context.js";
import { collectDependencies } from "./manifests/collect.js";
import { customDependencyRule, emailDependencyRule, redisDependencyRule, reportDependencies, type DependencyRule } from "./rules/dependencies.js";
import { checkEmailSending } from "./rules/email.js";
import { checkForbiddenPaths, checkForbiddenPattern, checkRequiredPaths, DEFAULT_PATTERN_PATHS } from "./rules/paths.js";
import { checkRedisSettings, checkRequiredSetting, checkSessionEngine } from "./rules/settings.js";
import {
  CUSTOM_RULES_DOCS_ANCHOR,
  MANIFEST_PARSE_ERROR,
  NO_EMAIL_SENDING,
  NO_REDIS_DEPENDENCY,
  NO_REDIS_SETTINGS,
  PYTHON_PARSE_ERROR,
  SESSION_ENGINE_DB,
} from "./rules.js";

function describeCustom(rule: CustomRuleConfig, level: FindingLevel): RuleDescription {
  return { id: rule.id, title: rule.title ?? rule.id, level, docsAnchor: CUSTOM_RULES_DOCS_ANCHOR };
}

export async function runRestrictions(files: RepoFiles, config: RestrictionsConfig): Promise<EngineResult> {
  if (!config.enabled) return { rules: [], findings: [] };
  const context = new RuleContext(files, config);
  const ran: RuleDescription[] = [];
  const { rules } = config;

  // 1. Dependency rules share one pass over the manifests.
  const dependencyRules: DependencyRule[] = [];
  const redisDependency = rules["no-redis-dependency"];
  if (ruleIsOn(redisDependency.level)) {
    dependencyRules.push(redisDependencyRule(redisDependency.level, redisDependency.ignore, config.forbiddenDependencies));
    ran.push({ ...NO_REDIS_DEPENDENCY, level: redisDependency.level });
  }
  const emailSending = rules["no-email-sending"];
  // Email-service SDKs and SMTP clients in the manifests (nodemailer, sendgrid, django-anymail...).
  if (ruleIsOn(emailSending.level)) dependencyRules.push(emailDependencyRule(emailSending.level, emailSending.ignore));
  for (const rule of config.custom) {
    if (rule.type !== "forbidden-dependency" || !ruleIsOn(rule.level)) continue;
    const description = describeCustom(rule, rule.level);
    dependencyRules.push(customDependencyRule(description, rule.level, rule.ignore, rule.names, rule.ecosystems, rule.message));
    ran.push(description);
  }
  if (dependencyRules.length > 0) {
    const manifests = await collectDependencies(context, {
      python: dependencyRules.some((rule) => rule.ecosystems.has("python")),
      npm: dependencyRules.some((rule) => rule.ecosystems.has("npm")),
    });
    reportDependencies(context, manifests, dependencyRules);
    ran.push(MANIFEST_PARSE_ERROR);
  }

  // 2. Django settings modules.
  const redisSettings = rules["no-redis-settings"];
  if (ruleIsOn(redisSettings.level)) {
    await checkRedisSettings(context, context.select(config.djangoSettings, [...config.djangoSettingsIgnore, ...redisSettings.ignore]), redisSettings.level);
    ran.push({ ...NO_REDIS_SETTINGS, level: redisSettings.level });
  }
  const sessionEngine = rules["session-engine-db"];
  if (ruleIsOn(sessionEngine.level)) {
    await checkSessionEngine(context, context.select(config.djangoSettings, [...config.djangoSettingsIgnore, ...sessionEngine.ignore]), sessionEngine.level);
    ran.push({ ...SESSION_ENGINE_DB, level: sessionEngine.level });
  }

  // 3. Python code.
  if (ruleIsOn(emailSending.level)) {
    await checkEmailSending(context, context.select(["**/*.py"], emailSending.ignore), emailSending.level);
    ran.push({ ...NO_EMAIL_SENDING, level: emailSending.level });
  }

  // 4. The repository's own rules.
  for (const rule of config.custom) {
    if (rule.type === "forbidden-dependency" || !ruleIsOn(rule.level)) continue;
    const description = describeCustom(rule, rule.level);
    ran.push(description);
    switch (rule.type) {
      case "forbidden-pattern": {
        const globs = rule.paths ?? (rule.language === "any" ? [] : DEFAULT_PATTERN_PATHS[rule.language]);
        await checkForbiddenPattern(context, description, rule.level, context.select(globs, rule.ignore), rule.pattern, rule.flags, rule.language, rule.message);
        break;
      }
      case "required-setting":
        await checkRequiredSetting(
          context,
          description,
          rule.level,
          context.select(rule.settings ?? config.djangoSettings, [...config.djangoSettingsIgnore, ...rule.ignore]),
          rule.setting,
          rule.value,
          rule.message,
        );
        break;
      case "required-path":
        checkRequiredPaths(context, description, rule.level, rule.paths, rule.ignore, rule.message);
        break;
      case "forbidden-path":
        checkForbiddenPaths(context, description, rule.level, rule.paths, rule.ignore, rule.message);
        break;
    }
  }

  // Listed whenever a rule tokenizes Python, so the summary table does not depend on luck.
  const tokenizesPython =
    ruleIsOn(redisSettings.level) ||
    ruleIsOn(sessionEngine.level) ||
    ruleIsOn(emailSending.level) ||
    config.custom.some((rule) => rule.type === "required-setting" && ruleIsOn(rule.level));
  if (tokenizesPython) ran.push(PYTHON_PARSE_ERROR);
  return { rules: ran, findings: sortFindings(context.findings) };
}
