// package.json: every dependency section, with `npm:` aliases resolved to the
// package that is actually installed.

import { JsonSyntaxError, parseJson, type JsonEntry } from "./json.js";
import type { Dependency, ManifestResult } from "./types.js";

const SECTIONS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
  "bundleDependencies",
  "bundledDependencies",
];

export function parsePackageJson(filePath: string, text: string): ManifestResult {
  const result: ManifestResult = { dependencies: [], problems: [] };
  let root;
  try {
    root = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    // What was read before the error is still checked: a forbidden
    // dependency above a stray comma is reported, and the warning says
    // exactly which part went unchecked.
    const checkedBefore = error.partial?.type === "object";
    result.problems.push({
      path: filePath,
      line: error.line,
      column: error.column,
      message: `invalid JSON: ${error.message}`,
      consequence: checkedBefore
        ? `The file could not be parsed past line ${error.line}: the dependencies above that point were checked, the rest of the file was not.`
        : "The file could not be parsed, so none of it was checked for forbidden dependencies.",
    });
    if (!checkedBefore) return result;
    root = error.partial!;
  }
  if (root.type !== "object") {
    result.problems.push({ path: filePath, line: root.line, message: "package.json is not a JSON object" });
    return result;
  }
  for (const section of root.entries) {
    if (!SECTIONS.includes(section.key)) continue;
    const value = section.value;
    // bundleDependencies may be a list of names (or true: "bundle everything", nothing to list).
    if (value.type === "array") {
      for (const item of value.items) {
        if (item.type !== "string") {
          result.problems.push({ path: filePath, line: item.line, message: `${section.key} entries must be package names` });
          continue;
        }
        result.dependencies.push({
          ecosystem: "npm",
          name: item.value,
          extras: [],
          path: filePath,
          line: item.line,
          column: item.column,
          endColumn: item.endColumn,
          section: section.key,
        });
      }
      continue;
    }
    if (value.type === "boolean") continue;
    if (value.type !== "object") {
      result.problems.push({ path: filePath, line: value.line, message: `${section.key} must be an object of name: version` });
      continue;
    }
    for (const entry of value.entries) result.dependencies.push(dependencyOf(filePath, section.key, entry));
  }
  return result;
}

function dependencyOf(filePath: string, section: string, entry: JsonEntry): Dependency {
  const located = {
    ecosystem: "npm" as const,
    extras: [],
    path: filePath,
    line: entry.keyLine,
    column: entry.keyColumn,
    endColumn: entry.keyEndColumn,
    section,
  };
  const spec = entry.value.type === "string" ? entry.value.value : "";
  const alias = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)/.exec(spec.trim());
  if (alias?.[1]) return { ...located, name: alias[1], alias: entry.key };
  return { ...located, name: entry.key };
}
