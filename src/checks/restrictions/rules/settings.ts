// Rules on Django settings modules: no-redis-settings, session-engine-db and
// custom required-setting rules. They read code tokens only, so comments and
// commented-out settings never count.

import type { FindingLevel, RuleDescription } from "../../types.js";
import { milder, type RuleContext } from "../context.js";
import type { PyToken } from "../python-lexer.js";
import { findAssignments, pythonRepr, sourceText, staticValue } from "../python-source.js";
import { NO_REDIS_SETTINGS, SESSION_ENGINE_DB } from "../rules.js";

const REDIS = /redis/i;

/**
 * Redis in settings: any identifier containing "redis" (`import redis`,
 * `REDIS_URL = ...`, `RedisCache`) and any string literal without spaces that
 * contains it (`"redis://cache:6379/1"`, `"django_redis.cache.RedisCache"`,
 * `"channels_redis.core.RedisChannelLayer"`, `"huey.RedisHuey"`). Strings with
 * spaces are prose (a description, a help text) and do not count.
 */
export async function checkRedisSettings(context: RuleContext, paths: readonly string[], level: FindingLevel): Promise<void> {
  for (const path of paths) {
    const source = await context.python(path);
    if (!source) continue;
    // One finding per statement (a 60-line CACHES dictionary is one construct), spanning its Redis lines.
    for (const statement of source.statements) {
      const setting = assignedName(statement);
      const found: { token: PyToken; what: string }[] = [];
      for (const token of statement) {
        const text = token.kind === "string" ? (token.value ?? "") : token.kind === "name" ? token.text : undefined;
        if (text === undefined || !REDIS.test(text)) continue;
        if (token.kind === "string" && /\s/.test(text)) continue;
        found.push({ token, what: token.kind === "string" ? `"${text}"` : text });
      }
      const first = found[0];
      const last = found[found.length - 1];
      if (!first || !last) continue;
      const shown = [...new Set(found.map((item) => item.what))];
      const what = shown.length > 3 ? `${shown.slice(0, 3).join(", ")} and ${shown.length - 3} more` : shown.join(", ");
      const where = setting ? `${setting} uses Redis (${what})` : `Settings reference Redis (${what})`;
      const lines = last.token.endLine > first.token.line ? ` on lines ${first.token.line}-${last.token.endLine}` : "";
      context.report(NO_REDIS_SETTINGS, level, {
        path,
        startLine: first.token.line,
        endLine: last.token.endLine,
        startColumn: first.token.column,
        endColumn: last.token.endLine === first.token.line ? last.token.endColumn : first.token.endColumn,
        message: `${where}${lines}. RNF-002 forbids Redis: use the database cache (django.core.cache.backends.db.DatabaseCache), database sessions and a broker that is not Redis.`,
      });
    }
  }
}

const ASSIGNMENT_OPERATORS = new Set(["=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "|=", "&=", "^=", ">>=", "<<=", "@="]);

/** `NAME = ...`, `NAME: T = ...`, `NAME |= ...` or `NAME[...] = ...`: the setting a statement assigns, if any. */
function assignedName(statement: readonly PyToken[]): string | undefined {
  const first = statement[0];
  if (!first || first.kind !== "name" || !/^[A-Z][A-Z0-9_]*$/.test(first.text)) return undefined;
  const assigns = statement.some((token) => token.kind === "op" && token.depth === 0 && ASSIGNMENT_OPERATORS.has(token.text));
  return assigns ? first.text : undefined;
}

const DATABASE_SESSIONS = "django.contrib.sessions.backends.db";

/**
 * Every assignment of SESSION_ENGINE in a settings module must be the
 * database backend. Each module is judged where it writes the value, so with
 * split settings (`prod.py` doing `from .base import *`) an override is
 * reported at the overriding line. Not setting it leaves Django's default,
 * the database: that passes.
 */
export async function checkSessionEngine(context: RuleContext, paths: readonly string[], level: FindingLevel): Promise<void> {
  for (const path of paths) {
    const source = await context.python(path);
    if (!source) continue;
    for (const assignment of findAssignments(source, new Set(["SESSION_ENGINE"]))) {
      const value = staticValue(assignment.value);
      const at = { path, startLine: assignment.target.line, endLine: lastLine(assignment.value, assignment.target) };
      if (value.kind === "literal") {
        if (value.value === DATABASE_SESSIONS) continue;
        context.report(SESSION_ENGINE_DB, level, {
          ...at,
          message: `SESSION_ENGINE is ${pythonRepr(value.value)}; RNF-002 requires sessions in the database: SESSION_ENGINE = "${DATABASE_SESSIONS}" (or leave it unset: that is Django's default).`,
        });
        continue;
      }
      // An expression: its string literals are the values it can take (e.g. the fallback of os.environ.get).
      const candidates = assignment.value
        .filter((token) => token.kind === "string" && /^[\w.]+\.[\w]+$/.test(token.value ?? "") && (token.value ?? "").includes("."))
        .map((token) => token.value ?? "");
      const other = candidates.find((candidate) => candidate !== DATABASE_SESSIONS);
      if (other) {
        context.report(SESSION_ENGINE_DB, level, {
          ...at,
          message: `SESSION_ENGINE can be "${other}" (${sourceText(assignment.value)}); RNF-002 requires "${DATABASE_SESSIONS}".`,
        });
        continue;
      }
      context.report(SESSION_ENGINE_DB, milder(level, "warning"), {
        ...at,
        message: `SESSION_ENGINE = ${sourceText(assignment.value)} cannot be verified statically; RNF-002 requires "${DATABASE_SESSIONS}". Write it as a literal (or leave it unset).`,
      });
    }
  }
}

/** A custom required-setting rule: every assignment has the value, and at least one module assigns it. */
export async function checkRequiredSetting(
  context: RuleContext,
  rule: RuleDescription,
  level: FindingLevel,
  paths: readonly string[],
  setting: string,
  required: string | number | boolean | null,
  message: string,
): Promise<void> {
  let assigned = false;
  for (const path of paths) {
    const source = await context.python(path);
    if (!source) continue;
    for (const assignment of findAssignments(source, new Set([setting]))) {
      assigned = true;
      const value = staticValue(assignment.value);
      const at = { path, startLine: assignment.target.line, endLine: lastLine(assignment.value, assignment.target) };
      if (value.kind === "literal" && value.value === required) continue;
      if (value.kind === "literal") {
        context.report(rule, level, { ...at, message: `${setting} is ${pythonRepr(value.value)}, must be ${pythonRepr(required)}: ${message}` });
      } else {
        context.report(rule, milder(level, "warning"), {
          ...at,
          message: `${setting} = ${sourceText(assignment.value)} cannot be verified statically, must be ${pythonRepr(required)}: ${message}`,
        });
      }
    }
  }
  const first = paths[0];
  if (!assigned && first !== undefined) {
    context.report(rule, level, {
      path: first,
      startLine: 1,
      message: `${setting} is not set in any settings module (${paths.join(", ")}), must be ${pythonRepr(required)}: ${message}`,
    });
  }
}

function lastLine(value: readonly PyToken[], fallback: PyToken): number {
  return value[value.length - 1]?.endLine ?? fallback.line;
}
