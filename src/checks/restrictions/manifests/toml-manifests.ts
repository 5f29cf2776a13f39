// pyproject.toml and Pipfile. Parsed with smol-toml; since a TOML parser
// returns values without positions, each dependency is located afterwards by
// searching its table's lines for the string or key that declared it.

import path from "node:path";
import { parse, TomlError } from "smol-toml";
import { parseRequirement } from "./pep508.js";
import type { Dependency, ManifestResult } from "./types.js";

export interface TomlManifestResult extends ManifestResult {
  /** Requirements files named by `[tool.setuptools.dynamic]` (`{ file = [...] }`). */
  requirementFiles: { target: string; line: number }[];
}

type TomlTable = Record<string, unknown>;

function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** How many broken lines are skipped before a file is given up as unreadable. */
const MAX_SKIPPED_LINES = 10;

/**
 * Parses the file; on a syntax error the offending line is blanked and the
 * rest parsed again (line numbers stay), so a `redis>=4` above (or below) a
 * typo is still found. Each skipped line is a problem; a file that cannot be
 * recovered is one problem saying the file was not checked.
 */
function parseToml(filePath: string, text: string, result: TomlManifestResult): TomlTable | undefined {
  const lines = text.split("\n");
  const skipped: { line: number; column: number; message: string }[] = [];
  for (let attempt = 0; attempt <= MAX_SKIPPED_LINES; attempt++) {
    try {
      const document = parse(attempt === 0 ? text : lines.join("\n")) as TomlTable;
      for (const problem of skipped) {
        result.problems.push({
          path: filePath,
          ...problem,
          consequence: "The line was skipped; the rest of the file was checked for forbidden dependencies.",
        });
      }
      return document;
    } catch (error) {
      if (!(error instanceof TomlError)) throw error;
      const message = `invalid TOML: ${error.message.split("\n")[0] ?? error.message}`;
      const index = error.line - 1;
      // Nothing left to blank on that line (an unterminated array at the end of the file): give up.
      const recoverable = index >= 0 && index < lines.length && (lines[index] ?? "").trim() !== "";
      if (!recoverable || attempt === MAX_SKIPPED_LINES) {
        const first = skipped[0] ?? { line: error.line, column: error.column, message };
        result.problems.push({
          path: filePath,
          ...first,
          consequence: "The file could not be parsed, so none of it was checked for forbidden dependencies.",
        });
        return undefined;
      }
      skipped.push({ line: error.line, column: error.column, message });
      lines[index] = "";
    }
  }
  return undefined;
}

/** Finds source lines of values and keys, scoped to a table's lines when the table has a header. */
class TomlLocator {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.replace(/\r\n?/g, "\n").split("\n");
  }

  /** 0-based [start, end) line range of `[a.b]`'s body, or the whole file if it has no header. */
  range(table: readonly string[]): [number, number] {
    const start = this.lines.findIndex((line) => sameKeys(headerKeys(line), table));
    if (start === -1) return [0, this.lines.length];
    let end = start + 1;
    while (end < this.lines.length && headerKeys(this.lines[end] as string) === undefined) end++;
    return [start + 1, end];
  }

  /** Line and column of a quoted string value inside a table (falls back to the whole file, then the header). */
  string(table: readonly string[], value: string): { line: number; column?: number } {
    const needles = [JSON.stringify(value), `'${value}'`];
    return this.search(table, (line) => {
      for (const needle of needles) {
        const at = line.indexOf(needle);
        if (at >= 0) return at + 2;
      }
      return -1;
    });
  }

  /** Line of `key = ...` inside a table, or of a `[table.key]` header. */
  key(table: readonly string[], key: string): { line: number; column?: number } {
    const subTable = this.lines.findIndex((line) => sameKeys(headerKeys(line), [...table, key]));
    if (subTable >= 0) return { line: subTable + 1 };
    const pattern = new RegExp(`^\\s*(?:"${escapeRegExp(key)}"|'${escapeRegExp(key)}'|${escapeRegExp(key)})\\s*[=.]`);
    return this.search(table, (line) => (pattern.test(line) ? line.search(/\S/) + 1 : -1));
  }

  private search(table: readonly string[], column: (line: string) => number): { line: number; column?: number } {
    const [start, end] = this.range(table);
    for (const [from, to] of [[start, end], [0, this.lines.length]] as const) {
      for (let k = from; k < to; k++) {
        const found = column(this.lines[k] as string);
        if (found >= 0) return { line: k + 1, column: found };
      }
    }
    return { line: Math.max(1, start) };
  }
}

/** Keys of a `[a."b".c]` header line, or undefined for any other line. */
function headerKeys(line: string): string[] | undefined {
  const match = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
  if (!match?.[1]) return undefined;
  return (match[1].match(/"[^"]*"|'[^']*'|[^.]+/g) ?? []).map((key) => key.trim().replace(/^["']|["']$/g, ""));
}

function sameKeys(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((key, k) => key === b[k]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function emptyResult(): TomlManifestResult {
  return { dependencies: [], problems: [], requirementFiles: [] };
}

export function parsePyproject(filePath: string, text: string): TomlManifestResult {
  const result = emptyResult();
  const document = parseToml(filePath, text, result);
  if (!document) return result;
  const locate = new TomlLocator(text);

  const addPep508List = (value: unknown, table: string[], section: string): void => {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      result.problems.push({ path: filePath, ...locate.key(table.slice(0, -1), table[table.length - 1] ?? ""), message: `${section} must be a list of requirement strings` });
      return;
    }
    for (const item of value) {
      // PEP 735 lets a group include another: { include-group = "test" }.
      if (isTable(item) && typeof item["include-group"] === "string") continue;
      if (typeof item !== "string") {
        result.problems.push({ path: filePath, line: locate.range(table.slice(0, -1))[0], message: `${section}: ${JSON.stringify(item)} is not a requirement string` });
        continue;
      }
      const at = locate.string(table.slice(0, -1), item);
      const parsed = parseRequirement(item);
      if (!parsed.ok) {
        result.problems.push({ path: filePath, line: at.line, message: `${section}: cannot parse requirement: ${parsed.error}` });
        continue;
      }
      result.dependencies.push(pythonDependency(filePath, parsed.requirement.name, parsed.requirement.extras, at, section));
    }
  };

  const project = document["project"];
  if (isTable(project)) {
    addPep508List(project["dependencies"], ["project", "dependencies"], "[project] dependencies");
    const optional = project["optional-dependencies"];
    if (isTable(optional)) {
      for (const [group, list] of Object.entries(optional)) {
        addPep508List(list, ["project", "optional-dependencies", group], `[project.optional-dependencies] ${group}`);
      }
    }
  }
  const groups = document["dependency-groups"];
  if (isTable(groups)) {
    for (const [group, list] of Object.entries(groups)) {
      addPep508List(list, ["dependency-groups", group], `[dependency-groups] ${group}`);
    }
  }
  const buildSystem = document["build-system"];
  if (isTable(buildSystem)) addPep508List(buildSystem["requires"], ["build-system", "requires"], "[build-system] requires");

  const tool = isTable(document["tool"]) ? document["tool"] : {};
  const poetry = tool["poetry"];
  if (isTable(poetry)) {
    addPoetryTable(poetry["dependencies"], ["tool", "poetry", "dependencies"]);
    addPoetryTable(poetry["dev-dependencies"], ["tool", "poetry", "dev-dependencies"]);
    const poetryGroups = poetry["group"];
    if (isTable(poetryGroups)) {
      for (const [group, body] of Object.entries(poetryGroups)) {
        if (isTable(body)) addPoetryTable(body["dependencies"], ["tool", "poetry", "group", group, "dependencies"]);
      }
    }
  }

  const setuptools = tool["setuptools"];
  const dynamic = isTable(setuptools) ? setuptools["dynamic"] : undefined;
  if (isTable(dynamic)) {
    const fileLists: unknown[] = [dynamic["dependencies"]];
    const optional = dynamic["optional-dependencies"];
    if (isTable(optional)) fileLists.push(...Object.values(optional));
    for (const entry of fileLists) {
      if (!isTable(entry)) continue;
      const files = typeof entry["file"] === "string" ? [entry["file"]] : Array.isArray(entry["file"]) ? entry["file"] : [];
      for (const file of files) {
        if (typeof file !== "string") continue;
        const at = locate.string(["tool", "setuptools", "dynamic"], file);
        result.requirementFiles.push({ target: path.posix.normalize(path.posix.join(path.posix.dirname(filePath), file)), line: at.line });
      }
    }
  }
  return result;

  function addPoetryTable(value: unknown, table: string[]): void {
    if (!isTable(value)) return;
    const section = `[${table.join(".")}]`;
    for (const [name, spec] of Object.entries(value)) {
      if (name.toLowerCase() === "python") continue;
      const specs = Array.isArray(spec) ? spec : [spec];
      const extras = specs.flatMap((one) => (isTable(one) && Array.isArray(one["extras"]) ? one["extras"].filter((e): e is string => typeof e === "string") : []));
      result.dependencies.push(pythonDependency(filePath, name, extras, locate.key(table, name), section));
    }
  }
}

// Pipfile tables that are not package categories.
const PIPFILE_NON_PACKAGE_TABLES = new Set(["source", "requires", "pipenv", "scripts"]);

export function parsePipfile(filePath: string, text: string): TomlManifestResult {
  const result = emptyResult();
  const document = parseToml(filePath, text, result);
  if (!document) return result;
  const locate = new TomlLocator(text);
  // Pipenv reads [packages], [dev-packages] and any other table as a package category.
  for (const [category, packages] of Object.entries(document)) {
    if (PIPFILE_NON_PACKAGE_TABLES.has(category) || !isTable(packages)) continue;
    for (const [name, spec] of Object.entries(packages)) {
      const extras = isTable(spec) && Array.isArray(spec["extras"]) ? spec["extras"].filter((e): e is string => typeof e === "string") : [];
      result.dependencies.push(pythonDependency(filePath, name, extras, locate.key([category], name), `[${category}]`));
    }
  }
  return result;
}

function pythonDependency(
  filePath: string,
  name: string,
  extras: string[],
  at: { line: number; column?: number },
  section: string,
): Dependency {
  return {
    ecosystem: "python",
    name,
    extras,
    path: filePath,
    line: at.line,
    ...(at.column !== undefined ? { column: at.column } : {}),
    section,
  };
}
