// setup.cfg, read the way setuptools reads it: INI sections, values that
// continue on indented lines, and requirement lists that are one per line
// (or separated by ";" when the value fits on one line).

import path from "node:path";
import { parseRequirement } from "./pep508.js";
import type { ManifestResult } from "./types.js";

export interface SetupCfgResult extends ManifestResult {
  /** `install_requires = file: requirements.txt` */
  requirementFiles: { target: string; line: number }[];
}

interface IniValue {
  section: string;
  key: string;
  keyLine: number;
  /** Value lines with their 1-based line numbers (the first is the text after `=`). */
  lines: { text: string; line: number }[];
}

const REQUIREMENT_KEYS = new Set(["install_requires", "setup_requires", "tests_require"]);

export function parseSetupCfg(filePath: string, text: string): SetupCfgResult {
  const result: SetupCfgResult = { dependencies: [], problems: [], requirementFiles: [] };
  for (const value of readIni(text, filePath, result)) {
    const isRequirements =
      (value.section === "options" && REQUIREMENT_KEYS.has(value.key)) || value.section === "options.extras_require";
    if (!isRequirements) continue;
    const label = value.section === "options" ? `[options] ${value.key}` : `[options.extras_require] ${value.key}`;
    const first = value.lines[0];
    const fileDirective = first ? /^file:\s*(.+)$/.exec(first.text.trim()) : null;
    if (fileDirective?.[1] && first) {
      for (const file of fileDirective[1].split(",").map((name) => name.trim()).filter(Boolean)) {
        result.requirementFiles.push({ target: path.posix.normalize(path.posix.join(path.posix.dirname(filePath), file)), line: first.line });
      }
      continue;
    }
    const nonEmpty = value.lines.filter((line) => line.text.trim() !== "");
    const items =
      nonEmpty.length === 1 && value.lines.length === 1 && value.lines[0]?.line === value.keyLine
        ? (nonEmpty[0]?.text ?? "").split(";").map((text) => ({ text, line: nonEmpty[0]?.line ?? 1 }))
        : nonEmpty;
    for (const item of items) {
      const requirementText = item.text.replace(/(^|\s+)#.*$/, "").trim();
      if (requirementText === "") continue;
      const parsed = parseRequirement(requirementText);
      if (!parsed.ok) {
        result.problems.push({ path: filePath, line: item.line, message: `${label}: cannot parse requirement: ${parsed.error}` });
        continue;
      }
      result.dependencies.push({
        ecosystem: "python",
        name: parsed.requirement.name,
        extras: parsed.requirement.extras,
        path: filePath,
        line: item.line,
        section: label,
      });
    }
  }
  return result;
}

function readIni(text: string, filePath: string, result: ManifestResult): IniValue[] {
  const values: IniValue[] = [];
  let section = "";
  let current: IniValue | undefined;
  text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      if (/^\s*[#;]/.test(raw) || raw.trim() === "") {
        return;
      }
      if (/^\s/.test(raw) && current) {
        current.lines.push({ text: raw.trim(), line });
        return;
      }
      const header = /^\[([^\]]+)\]\s*$/.exec(raw.trim());
      if (header?.[1]) {
        section = header[1].trim();
        current = undefined;
        return;
      }
      const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
      if (!pair?.[1]) {
        result.problems.push({ path: filePath, line, message: `cannot parse setup.cfg line: ${raw.trim()}` });
        current = undefined;
        return;
      }
      current = { section, key: pair[1].trim(), keyLine: line, lines: [] };
      if ((pair[2] ?? "").trim() !== "") current.lines.push({ text: (pair[2] ?? "").trim(), line });
      values.push(current);
    });
  return values;
}
