// Finds the dependency manifests of a tree, follows requirements includes,
// and returns every declared dependency with its line, plus every line that
// could not be read.

import path from "node:path";
import type { RuleContext } from "../context.js";
import { fileErrorFinding } from "../../file-gate.js";
import { parsePackageJson } from "./package-json.js";
import { parseRequirementsFile, type RequirementsFile } from "./requirements.js";
import { parseSetupCfg } from "./setup-cfg.js";
import { parseSetupPy } from "./setup-py.js";
import { parsePipfile, parsePyproject } from "./toml-manifests.js";
import type { ManifestResult } from "./types.js";

/**
 * requirements.txt, requirements-dev.txt, base_requirements.txt,
 * dev-requirements.txt, requirements.in (pip-tools), and any .txt/.in under a
 * requirements/ folder (requirements/base.in, requirements/prod/web.txt).
 */
export function isRequirementsFile(filePath: string): boolean {
  const segments = filePath.split("/");
  const name = segments.pop() ?? "";
  if (!/\.(txt|in)$/i.test(name)) return false;
  return /requirements/i.test(name) || segments.some((segment) => segment.toLowerCase() === "requirements");
}

/** Files read to recognise a requirements file by its content: a bound on the reads one check run spends on it. */
export const MAX_SNIFFED_FILES = 100;
const NOT_SNIFFED_FOLDERS = new Set(["docs", "doc", "tests", "test", "fixtures", "testdata", "node_modules", "vendor", "locale", "static"]);

/** A .txt/.in file whose name says nothing, in a folder where dependency lists live: its content decides. */
function mayBeRequirementsByContent(filePath: string): boolean {
  if (!/\.(txt|in)$/i.test(filePath) || manifestKind(filePath) !== undefined) return false;
  const segments = filePath.toLowerCase().split("/");
  const name = segments.pop() ?? "";
  if (/^(license|licence|readme|changelog|changes|authors|contributors|notice|copying|robots)\b/.test(name)) return false;
  return !segments.some((segment) => NOT_SNIFFED_FOLDERS.has(segment));
}

/**
 * Whether a file's text is a pip requirements file: every line is a
 * requirement or a pip option, and at least one pins a version, names a URL
 * or includes another file. Bare words alone (a spelling word list that
 * contains "Redis") are not enough.
 */
export function looksLikeRequirements(filePath: string, text: string): boolean {
  let file: RequirementsFile;
  try {
    file = parseRequirementsFile(filePath, text);
  } catch {
    return false;
  }
  if (file.problems.length > 0 || file.dependencies.length + file.includes.length === 0) return false;
  return file.includes.length > 0 || /^\s*[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*(===?|~=|!=|<=?|>=?|@)/m.test(text);
}

export type ManifestKind = "requirements" | "pyproject" | "pipfile" | "setup-cfg" | "setup-py" | "package-json";

export function manifestKind(filePath: string): ManifestKind | undefined {
  const name = path.posix.basename(filePath);
  if (name === "pyproject.toml") return "pyproject";
  if (name === "Pipfile") return "pipfile";
  if (name === "setup.cfg") return "setup-cfg";
  if (name === "setup.py") return "setup-py";
  if (name === "package.json") return "package-json";
  if (isRequirementsFile(filePath)) return "requirements";
  return undefined;
}

export interface CollectOptions {
  /** Which ecosystems some enabled rule cares about: package.json is not read for Python-only rules. */
  python: boolean;
  npm: boolean;
}

export async function collectDependencies(context: RuleContext, options: CollectOptions): Promise<ManifestResult> {
  const result: ManifestResult = { dependencies: [], problems: [] };
  const manifests = context.select((filePath) => {
    const kind = manifestKind(filePath);
    if (kind === undefined) return false;
    return kind === "package-json" ? options.npm : options.python;
  });

  // Requirements files reached from a manifest or an include, with how they were reached.
  const queue: { target: string; kind: "requirements" | "constraints"; from?: { path: string; line: number; option: string } }[] = [];

  for (const manifest of manifests) {
    const kind = manifestKind(manifest);
    if (kind === "requirements") {
      queue.push({ target: manifest, kind: "requirements" });
      continue;
    }
    if (kind === "setup-py") {
      // Python code: read through the shared tokenizer (and its cache), never run.
      const source = await context.python(manifest);
      if (source) merge(result, parseSetupPy(source));
      continue;
    }
    const text = await context.read(manifest);
    if (text === undefined) continue;
    try {
      if (kind === "package-json") merge(result, parsePackageJson(manifest, text));
      if (kind === "pipfile") merge(result, parsePipfile(manifest, text));
      if (kind === "pyproject" || kind === "setup-cfg") {
        const parsed = kind === "pyproject" ? parsePyproject(manifest, text) : parseSetupCfg(manifest, text);
        merge(result, parsed);
        for (const file of parsed.requirementFiles) {
          queue.push({ target: file.target, kind: "requirements", from: { path: manifest, line: file.line, option: "file:" } });
        }
      }
    } catch (error) {
      // One file's failure is that file's finding, never the run's.
      context.findings.push(fileErrorFinding(manifest, error));
    }
  }

  // Requirements files by content: deps.txt, pip/prod.txt, constraints-free lists under any name.
  if (options.python) {
    for (const candidate of context.select(mayBeRequirementsByContent).slice(0, MAX_SNIFFED_FILES)) {
      const text = await context.read(candidate);
      if (text !== undefined && looksLikeRequirements(candidate, text)) queue.push({ target: candidate, kind: "requirements" });
    }
  }

  // Each requirements file is parsed once; reaching it again (an include cycle) adds nothing.
  const parsed = new Map<string, RequirementsFile | undefined>();
  // "glob": found by name; "requirements": named by -r or file:; "constraints": named by -c.
  const reachedAs = new Map<string, Set<"glob" | "requirements" | "constraints">>();
  const visited = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    const key = `${next.kind}:${next.target}`;
    if (visited.has(key)) continue;
    visited.add(key);
    if (!parsed.has(next.target)) {
      const text = await context.read(next.target);
      if (text === undefined) {
        // A file of the tree that reads as undefined was skipped by the file gate, which said why.
        if (next.from && !context.files.paths.includes(next.target)) {
          result.problems.push({
            path: next.from.path,
            line: next.from.line,
            message: `${next.from.option} ${next.target}: no such file in the repository`,
          });
        }
        parsed.set(next.target, undefined);
        continue;
      }
      try {
        parsed.set(next.target, parseRequirementsFile(next.target, text));
      } catch (error) {
        context.findings.push(fileErrorFinding(next.target, error));
        parsed.set(next.target, undefined);
        continue;
      }
    }
    const file = parsed.get(next.target);
    if (!file) continue;
    const reached = reachedAs.get(next.target) ?? new Set();
    reached.add(next.from || next.kind === "constraints" ? next.kind : "glob");
    reachedAs.set(next.target, reached);
    for (const include of file.includes) {
      // Whatever a constraints file includes only constrains too.
      const kind = next.kind === "constraints" ? "constraints" : include.kind;
      const option = include.kind === "constraints" ? "-c" : "-r";
      queue.push({ target: include.target, kind, from: { path: next.target, line: include.line, option } });
    }
  }

  for (const [filePath, file] of parsed) {
    if (!file) continue;
    result.problems.push(...file.problems);
    // A constraints file only pins versions of what something else installs: it installs nothing.
    // A file named like a requirements file but used with -c is a constraints file.
    const reached = reachedAs.get(filePath) ?? new Set();
    if (reached.has("requirements") || (reached.has("glob") && !reached.has("constraints"))) {
      result.dependencies.push(...file.dependencies);
    }
  }
  return result;
}

function merge(into: ManifestResult, from: ManifestResult): void {
  into.dependencies.push(...from.dependencies);
  into.problems.push(...from.problems);
}
