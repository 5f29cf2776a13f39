// Django's deployment checklist in settings modules that are not
// development modules: DEBUG off, SECRET_KEY from the environment, no "*"
// in ALLOWED_HOSTS, session and CSRF cookies marked Secure. Code tokens only,
// so comments and commented-out settings never count. The value of
// SECRET_KEY is never echoed: it is the secret.

import type { FindingLevel } from "../../types.js";
import { milder, type RuleContext } from "../../restrictions/context.js";
import type { PyToken } from "../../restrictions/python-lexer.js";
import { findAssignments, sourceText, staticValue, type Assignment, type PythonSource } from "../../restrictions/python-source.js";
import { DJANGO_ALLOWED_HOSTS, DJANGO_DEBUG, DJANGO_INSECURE_COOKIES, DJANGO_SECRET_KEY } from "../rules.js";
import { isProductionModule, starImportCandidates } from "../settings-modules.js";

export interface SettingsRuleLevels {
  debug?: FindingLevel;
  secretKey?: FindingLevel;
  allowedHosts?: FindingLevel;
  insecureCookies?: FindingLevel;
}

export interface SettingsModules {
  /** Settings modules that are not development modules: the ones judged. */
  judged: readonly string[];
  /** Every settings module (development ones too), where star imports are resolved. */
  all: readonly string[];
  productionSettings: readonly string[];
}

const SECURE_COOKIES = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"] as const;

const NOT_DEV = "If this is a development module, name it so (dev, local, development...: checks.security.devSettings).";

function at(path: string, assignment: Assignment) {
  return { path, startLine: assignment.target.line, endLine: assignment.value[assignment.value.length - 1]?.endLine ?? assignment.target.line };
}

/** An assignment inside an `if`/`try` block is conditional: at most a warning, since the branch may never run in production. */
function levelFor(assignment: Assignment, level: FindingLevel): FindingLevel {
  return assignment.target.column > 1 ? milder(level, "warning") : level;
}

function hasName(tokens: readonly PyToken[], name: string): boolean {
  return tokens.some((token) => token.kind === "name" && token.text === name);
}

/**
 * String literals of an expression that are values rather than names: not
 * the first argument of a call or a subscript (`os.environ["KEY"]`,
 * `env("KEY")`), so `os.environ.get("KEY", "fallback")`,
 * `env("KEY", default="fallback")` and `getenv("KEY") or "fallback"` give
 * "fallback".
 */
function fallbackStrings(value: readonly PyToken[]): PyToken[] {
  return value.filter((token, index) => {
    if (token.kind !== "string") return false;
    const before = value[index - 1];
    return !(before?.kind === "op" && (before.text === "(" || before.text === "["));
  });
}

export async function checkProductionSettings(context: RuleContext, modules: SettingsModules, levels: SettingsRuleLevels): Promise<void> {
  for (const path of modules.judged) {
    const source = await context.python(path);
    if (!source) continue;
    if (levels.debug) checkDebug(context, source, levels.debug);
    if (levels.secretKey) checkSecretKey(context, source, levels.secretKey);
    if (levels.allowedHosts) checkAllowedHosts(context, source, levels.allowedHosts);
    if (levels.insecureCookies) await checkCookies(context, source, modules, levels.insecureCookies);
  }
}

function checkDebug(context: RuleContext, source: PythonSource, level: FindingLevel): void {
  for (const assignment of findAssignments(source, new Set(["DEBUG"]))) {
    const value = staticValue(assignment.value);
    if (value.kind === "literal" && value.value === true) {
      context.report(DJANGO_DEBUG, levelFor(assignment, level), {
        ...at(source.path, assignment),
        message: `DEBUG = True in a settings module that is not a development module: Django then shows stack traces, settings and SQL to anyone who hits an error. Set DEBUG = False (or read it from the environment with a False default). ${NOT_DEV}`,
      });
    } else if (value.kind === "expression" && hasName(assignment.value, "True")) {
      context.report(DJANGO_DEBUG, milder(level, "warning"), {
        ...at(source.path, assignment),
        message: `DEBUG = ${sourceText(assignment.value)} falls back to True: a production host that misses the variable runs with DEBUG on. Make the fallback False.`,
      });
    }
  }
}

function checkSecretKey(context: RuleContext, source: PythonSource, level: FindingLevel): void {
  for (const assignment of findAssignments(source, new Set(["SECRET_KEY"]))) {
    const value = staticValue(assignment.value);
    if (value.kind === "literal") {
      // An empty key makes Django refuse to start: it cannot leak anything.
      if (typeof value.value !== "string" || value.value === "") continue;
      context.report(DJANGO_SECRET_KEY, levelFor(assignment, level), {
        ...at(source.path, assignment),
        message: `SECRET_KEY is a string literal (${value.value.length} characters, not shown): everyone who can read the repository can forge sessions, password-reset links and signed cookies. Rotate it, then read it from the environment: SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]. ${NOT_DEV}`,
      });
      continue;
    }
    const fallbacks = fallbackStrings(assignment.value).filter((token) => (token.value ?? "") !== "");
    if (fallbacks.length > 0) {
      context.report(DJANGO_SECRET_KEY, milder(level, "warning"), {
        ...at(source.path, assignment),
        message: "SECRET_KEY falls back to a string literal (not shown) when the variable is unset: a production host that misses it signs with a key everyone can read. Drop the fallback so that a missing key stops the start (os.environ[\"DJANGO_SECRET_KEY\"]).",
      });
    }
  }
}

function checkAllowedHosts(context: RuleContext, source: PythonSource, level: FindingLevel): void {
  for (const assignment of findAssignments(source, new Set(["ALLOWED_HOSTS"]))) {
    const wildcard = assignment.value.find((token) => token.kind === "string" && token.value === "*");
    if (!wildcard) continue;
    const literal = assignment.value.every((token) => token.kind === "string" || (token.kind === "op" && "[](),".includes(token.text)));
    const where = { path: source.path, startLine: wildcard.line, startColumn: wildcard.column, endColumn: wildcard.endColumn };
    if (literal) {
      context.report(DJANGO_ALLOWED_HOSTS, levelFor(assignment, level), {
        ...where,
        message: `ALLOWED_HOSTS contains "*": Django then accepts any Host header, which lets an attacker poison password-reset links and caches. List the host names the site is served on (e.g. ["app.example.com"]). ${NOT_DEV}`,
      });
    } else {
      context.report(DJANGO_ALLOWED_HOSTS, milder(level, "warning"), {
        ...where,
        message: `ALLOWED_HOSTS = ${sourceText(assignment.value)} can be "*" (its fallback): a production host that misses the variable accepts any Host header. Make the fallback the real host names, or empty.`,
      });
    }
  }
}

/** Assignments of `names` in a module and in the modules it star-imports, transitively. */
async function assignmentsWithImports(context: RuleContext, source: PythonSource, all: readonly string[], names: ReadonlySet<string>): Promise<Assignment[]> {
  const seen = new Set<string>([source.path]);
  const found: Assignment[] = [];
  const queue: PythonSource[] = [source];
  while (queue.length > 0) {
    const current = queue.shift() as PythonSource;
    found.push(...findAssignments(current, names));
    for (const imported of starImportCandidates(current, all)) {
      if (seen.has(imported)) continue;
      seen.add(imported);
      const parsed = await context.python(imported);
      if (parsed) queue.push(parsed);
    }
  }
  return found;
}

async function checkCookies(context: RuleContext, source: PythonSource, modules: SettingsModules, level: FindingLevel): Promise<void> {
  for (const setting of SECURE_COOKIES) {
    const own = findAssignments(source, new Set([setting]));
    for (const assignment of own) {
      const value = staticValue(assignment.value);
      if (value.kind === "literal" && value.value === false) {
        context.report(DJANGO_INSECURE_COOKIES, levelFor(assignment, level), {
          ...at(source.path, assignment),
          message: `${setting} = False: the browser also sends the ${cookieName(setting)} cookie over plain HTTP, where anyone on the network can read it. Set ${setting} = True. ${NOT_DEV}`,
        });
      } else if (value.kind === "expression" && hasName(assignment.value, "False")) {
        context.report(DJANGO_INSECURE_COOKIES, milder(level, "warning"), {
          ...at(source.path, assignment),
          message: `${setting} = ${sourceText(assignment.value)} falls back to False. Make the fallback True.`,
        });
      }
    }
    if (own.length > 0 || !isProductionModule(source.path, modules.productionSettings)) continue;
    const inherited = await assignmentsWithImports(context, source, modules.all, new Set([setting]));
    if (inherited.length > 0) continue;
    context.report(DJANGO_INSECURE_COOKIES, level, {
      path: source.path,
      startLine: 1,
      message: `${setting} is not set in this production settings module nor in the modules it imports with *: Django's default is False, so the ${cookieName(setting)} cookie also travels over plain HTTP. Add ${setting} = True.`,
    });
  }
}

function cookieName(setting: (typeof SECURE_COOKIES)[number]): string {
  return setting === "SESSION_COOKIE_SECURE" ? "session" : "CSRF";
}

