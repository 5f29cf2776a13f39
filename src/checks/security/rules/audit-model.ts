// audit-model-mutable (plan TASK-004: audit log entries can be neither
// changed nor deleted): each Django model named in checks.security.auditModels
// must refuse updates in save() and refuse delete(), itself or through a base
// class defined in the repository. Bases outside the repository (a package)
// cannot be read: the finding then says so, as a warning.

import type { FindingLevel } from "../../types.js";
import { milder, type RuleContext } from "../../restrictions/context.js";
import type { PyToken } from "../../restrictions/python-lexer.js";
import { CONFIG_PATH } from "../../restrictions/rules/paths.js";
import { findClasses, type PyClass, type PyMethod } from "../python-classes.js";
import { AUDIT_MODEL_MUTABLE } from "../rules.js";

/** Django's own bases: their save() and delete() write, so a model that inherits them does not refuse. */
const DJANGO_BASES = new Set(["Model", "models.Model", "django.db.models.Model", "object"]);

/** How deep base classes are followed (a cycle is stopped by the visited set; this bounds odd hierarchies). */
const MAX_BASE_DEPTH = 10;

type MethodVerdict =
  | { kind: "refuses"; owner: PyClass }
  | { kind: "allows"; owner: PyClass | undefined }
  | { kind: "unknown"; bases: string[] };

/** Tokens of a statement list, flattened. */
function tokensOf(body: readonly PyToken[][]): PyToken[] {
  return body.flat();
}

function raises(body: readonly PyToken[][]): boolean {
  return body.some((statement) => statement[0]?.kind === "name" && statement[0].text === "raise");
}

/**
 * save() refuses updates when it raises either unconditionally (a raise at
 * the top of its body) or under a test of the row's existence: `self.pk`,
 * `self.id`, `self._state.adding`.
 */
function saveRefusesUpdates(method: PyMethod): boolean {
  if (!raises(method.body)) return false;
  const top = method.body[0]?.[0]?.column;
  if (method.body.some((statement) => statement[0]?.column === top && statement[0]?.text === "raise")) return true;
  const tokens = tokensOf(method.body);
  return tokens.some((token, index) => {
    if (token.kind !== "name") return false;
    if (token.text === "_state" || token.text === "adding") return true;
    const dotted = tokens[index - 1]?.text === ".";
    return dotted && (token.text === "pk" || token.text === "id");
  });
}

function deleteRefuses(method: PyMethod): boolean {
  return raises(method.body);
}

class ClassIndex {
  private readonly byName = new Map<string, PyClass[]>();

  constructor(classes: readonly PyClass[]) {
    for (const pyClass of classes) this.byName.set(pyClass.name, [...(this.byName.get(pyClass.name) ?? []), pyClass]);
  }

  named(name: string): PyClass[] {
    return this.byName.get(name) ?? [];
  }

  /** A base by its last name: the class of that name in the same file, else the one class of that name in the repository. */
  resolve(base: string, from: PyClass): PyClass | undefined {
    const name = base.split(".").pop() ?? base;
    const candidates = this.named(name);
    const sameFile = candidates.filter((candidate) => candidate.path === from.path && candidate !== from);
    if (sameFile.length > 0) return sameFile[sameFile.length - 1];
    const others = candidates.filter((candidate) => candidate !== from);
    return others.length === 1 ? others[0] : undefined;
  }
}

/** The method's verdict along the bases, depth first, left to right (Python's order for simple hierarchies). */
function lookup(index: ClassIndex, pyClass: PyClass, method: string, refuses: (method: PyMethod) => boolean, visited = new Set<PyClass>(), depth = 0): MethodVerdict {
  visited.add(pyClass);
  const own = pyClass.methods.get(method);
  if (own) return refuses(own) ? { kind: "refuses", owner: pyClass } : { kind: "allows", owner: pyClass };
  const unresolved: string[] = [];
  for (const base of pyClass.bases) {
    if (DJANGO_BASES.has(base)) continue;
    const resolved = depth < MAX_BASE_DEPTH ? index.resolve(base, pyClass) : undefined;
    if (!resolved) {
      unresolved.push(base);
      continue;
    }
    if (visited.has(resolved)) continue;
    const verdict = lookup(index, resolved, method, refuses, visited, depth + 1);
    if (verdict.kind === "unknown") unresolved.push(...verdict.bases);
    else return verdict;
  }
  return unresolved.length > 0 ? { kind: "unknown", bases: unresolved } : { kind: "allows", owner: undefined };
}

/** "AuditLog" -> any module; "app.models.AuditLog" -> app/models.py, app/models/__init__.py or a module of app/models/. */
function modelMatches(spec: string, pyClass: PyClass): boolean {
  const parts = spec.split(".");
  const name = parts.pop() as string;
  if (pyClass.name !== name) return false;
  if (parts.length === 0) return true;
  const stem = parts.join("/");
  const path = `/${pyClass.path}`;
  return path.endsWith(`/${stem}.py`) || path.endsWith(`/${stem}/__init__.py`) || path.includes(`/${stem}/`);
}

function describe(verdict: MethodVerdict, method: string, pyClass: PyClass): string | undefined {
  if (verdict.kind === "refuses") return undefined;
  if (verdict.kind === "unknown") return `${method}() comes from ${verdict.bases.join(", ")}, which is not in the repository and could not be read`;
  if (verdict.owner === undefined) return `${method}() is Django's, which ${method === "save" ? "updates the row" : "deletes the row"}`;
  const where = verdict.owner === pyClass ? "" : ` (inherited from ${verdict.owner.name} in ${verdict.owner.path})`;
  return method === "save" ? `save()${where} does not refuse updates` : `delete()${where} does not raise`;
}

export async function checkAuditModels(context: RuleContext, pythonPaths: readonly string[], models: readonly string[], level: FindingLevel): Promise<void> {
  if (models.length === 0) return;
  const classes: PyClass[] = [];
  for (const path of pythonPaths) {
    const source = await context.python(path);
    if (source) classes.push(...findClasses(source));
  }
  const index = new ClassIndex(classes);
  for (const spec of models) {
    const matching = classes.filter((pyClass) => modelMatches(spec, pyClass));
    if (matching.length === 0) {
      context.report(AUDIT_MODEL_MUTABLE, milder(level, "warning"), {
        path: CONFIG_PATH,
        startLine: 1,
        message: `The audit model "${spec}" named in checks.security.auditModels is not defined in any Python file that was read: fix the name (a class name, or app.models.ClassName), or remove it.`,
      });
      continue;
    }
    for (const model of matching) {
      const save = lookup(index, model, "save", saveRefusesUpdates);
      const remove = lookup(index, model, "delete", deleteRefuses);
      const problems = [describe(save, "save", model), describe(remove, "delete", model)].filter((problem): problem is string => problem !== undefined);
      if (problems.length === 0) continue;
      const unknownOnly = save.kind !== "allows" && remove.kind !== "allows";
      const header = model.header;
      context.report(AUDIT_MODEL_MUTABLE, unknownOnly ? milder(level, "warning") : level, {
        path: model.path,
        startLine: header[0]?.line ?? 1,
        endLine: header[header.length - 1]?.endLine,
        message: `${model.name} is an audit model (checks.security.auditModels) but its rows can be changed: ${problems.join("; ")}. Override save() to raise when the row already exists (if not self._state.adding: raise …) and delete() to raise, or inherit a base in the repository that does.`,
      });
    }
  }
}
