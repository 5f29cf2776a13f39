// no-redis-dependency and custom forbidden-dependency rules: both judge the
// same parsed list of declared dependencies.

import type { FindingLevel, RuleDescription } from "../../types.js";
import { globMatcher, type RuleContext } from "../context.js";
import { normalisePythonName } from "../manifests/pep508.js";
import type { Dependency, ManifestResult } from "../manifests/types.js";
import { npmNameMatches, pythonNameMatches, REDIS_EXTRAS, REDIS_NPM_PACKAGES, REDIS_PYTHON_PACKAGES } from "../redis-packages.js";
import { MANIFEST_PARSE_ERROR, NO_REDIS_DEPENDENCY } from "../rules.js";

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
      message: `${problem.message}. The line was not checked for forbidden dependencies.`,
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
