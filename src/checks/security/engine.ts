// runSecurity as one pipeline: decide which rules run, search every text
// file for secrets, judge the settings modules that are not development
// modules, check the audit models, and sort.

import type { EngineResult, RepoFiles, RuleDescription } from "../types.js";
import { ruleIsOn } from "../restrictions/config.js";
import { globMatcher, RuleContext } from "../restrictions/context.js";
import type { SecurityConfig } from "./config.js";
import { checkAuditModels } from "./rules/audit-model.js";
import { checkCommittedSecrets } from "./rules/committed-secret.js";
import { checkProductionSettings, type SettingsRuleLevels } from "./rules/django-settings.js";
import {
  AUDIT_MODEL_MUTABLE,
  COMMITTED_SECRET,
  DJANGO_ALLOWED_HOSTS,
  DJANGO_DEBUG,
  DJANGO_INSECURE_COOKIES,
  DJANGO_SECRET_KEY,
  PYTHON_PARSE_ERROR,
} from "./rules.js";
import { isNamedAs } from "./settings-modules.js";
import { sortFindings } from "../sort-findings.js";

export async function runSecurity(files: RepoFiles, config: SecurityConfig): Promise<EngineResult> {
  if (!config.enabled) return { rules: [], findings: [] };
  const context = new RuleContext(files, config);
  const ran: RuleDescription[] = [];
  const { rules } = config;

  // 1. Secrets, in every file.
  const secret = rules["committed-secret"];
  if (ruleIsOn(secret.level)) {
    await checkCommittedSecrets(context, context.select(["**"], secret.ignore), secret.level, { allow: config.allow, testPaths: config.testPaths });
    ran.push({ ...COMMITTED_SECRET, level: secret.level });
  }

  // 2. Settings modules that are not development modules.
  const settingsRules = [
    { rule: DJANGO_DEBUG, key: "debug" },
    { rule: DJANGO_SECRET_KEY, key: "secretKey" },
    { rule: DJANGO_ALLOWED_HOSTS, key: "allowedHosts" },
    { rule: DJANGO_INSECURE_COOKIES, key: "insecureCookies" },
  ] as const;
  const allSettings = context.select(config.djangoSettings, config.djangoSettingsIgnore);
  const productionSide = allSettings.filter((path) => !isNamedAs(path, config.devSettings));
  for (const { rule, key } of settingsRules) {
    const setting = rules[rule.id as keyof SecurityConfig["rules"]];
    if (!ruleIsOn(setting.level)) continue;
    const ignored = globMatcher(setting.ignore);
    const levels: SettingsRuleLevels = { [key]: setting.level };
    await checkProductionSettings(context, { judged: productionSide.filter((path) => !ignored(path)), all: allSettings, productionSettings: config.productionSettings }, levels);
    ran.push({ ...rule, level: setting.level });
  }

  // 3. Audit models, among the Python files that are not tests.
  const audit = rules["audit-model-mutable"];
  if (ruleIsOn(audit.level)) {
    await checkAuditModels(context, context.select(["**/*.py"], [...config.testPaths, ...audit.ignore]), config.auditModels, audit.level);
    ran.push({ ...AUDIT_MODEL_MUTABLE, level: audit.level });
  }

  const tokenizesPython = settingsRules.some(({ rule }) => ruleIsOn(rules[rule.id as keyof SecurityConfig["rules"]].level)) || (ruleIsOn(audit.level) && config.auditModels.length > 0);
  if (tokenizesPython) ran.push(PYTHON_PARSE_ERROR);
  return { rules: ran, findings: sortFindings(context.findings) };
}
