// Which Django settings modules are development modules and which is the
// production module (by the words of their file names), and which modules a
// settings module takes everything from (`from .base import *`).

import type { PyToken } from "../restrictions/python-lexer.js";
import type { PythonSource } from "../restrictions/python-source.js";

/** Words of a module's file name: `settings_local.py` -> settings, local; `dev-docker.py` -> dev, docker. */
export function moduleWords(path: string): string[] {
  const file = path.split("/").pop() ?? path;
  return file
    .replace(/\.py$/, "")
    .toLowerCase()
    .split(/[_.-]+/)
    .filter((word) => word.length > 0);
}

export function isNamedAs(path: string, words: readonly string[]): boolean {
  return moduleWords(path).some((word) => words.includes(word));
}

/**
 * The production module, where a setting left unset is a finding: one named
 * so (`settings/prod.py`, `production_settings.py`) or a project's single
 * `settings.py`, the module `startproject` creates and production runs.
 * A `base.py` or `common.py` is not: the module that imports it sets what it
 * leaves out.
 */
export function isProductionModule(path: string, productionWords: readonly string[]): boolean {
  return isNamedAs(path, productionWords) || path.split("/").pop() === "settings.py";
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

/**
 * The repository paths a module's star imports can name: `from .base import *`
 * is `base.py` (or `base/__init__.py`) beside it, `from ..common import *` one
 * folder up, and `from proj.settings.base import *` any path ending in
 * `proj/settings/base.py`.
 */
export function starImportCandidates(source: PythonSource, paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const statement of source.statements) {
    const module = starImportedModule(statement);
    if (module === undefined) continue;
    const leadingDots = /^\.*/.exec(module)?.[0].length ?? 0;
    const dotted = module.slice(leadingDots).split(".").filter((part) => part.length > 0);
    if (leadingDots > 0) {
      let folder = folderOf(source.path);
      for (let up = 1; up < leadingDots; up++) folder = folderOf(folder);
      const stem = [folder, ...dotted].filter((part) => part.length > 0).join("/");
      found.push(...paths.filter((path) => path === `${stem}.py` || path === `${stem}/__init__.py`));
    } else {
      const stem = dotted.join("/");
      found.push(...paths.filter((path) => path === `${stem}.py` || path.endsWith(`/${stem}.py`) || path === `${stem}/__init__.py` || path.endsWith(`/${stem}/__init__.py`)));
    }
  }
  return [...new Set(found)].filter((path) => path !== source.path);
}

/** `from X import *` -> "X" (dots kept). */
function starImportedModule(statement: readonly PyToken[]): string | undefined {
  if (statement[0]?.text !== "from") return undefined;
  const importAt = statement.findIndex((token) => token.kind === "name" && token.text === "import");
  if (importAt === -1 || statement[importAt + 1]?.text !== "*" || statement.length !== importAt + 2) return undefined;
  return statement
    .slice(1, importAt)
    .map((token) => token.text)
    .join("");
}
