// pip requirements files, following pip's own preprocessing order: join
// `\` continuations, strip comments (`#` at line start or after whitespace),
// then read each logical line as an option or a requirement.

import path from "node:path";
import { extrasFromUrl, nameFromUrl, parseRequirement } from "./pep508.js";
import type { Dependency, ManifestProblem } from "./types.js";

export interface RequirementsInclude {
  /** Repository path of the included file, or undefined if it leaves the repository or is remote. */
  target: string;
  kind: "requirements" | "constraints";
  line: number;
}

export interface RequirementsFile {
  dependencies: Dependency[];
  problems: ManifestProblem[];
  includes: RequirementsInclude[];
}

// Options that change how pip installs, not what: nothing to check.
const GLOBAL_OPTIONS = new Set([
  "-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links", "--trusted-host", "--pre",
  "--prefer-binary", "--require-hashes", "--only-binary", "--no-binary", "--use-feature", "--use-pep517",
  "--no-build-isolation", "--no-deps",
]);
const INCLUDE_OPTIONS: Record<string, RequirementsInclude["kind"]> = {
  "-r": "requirements",
  "--requirement": "requirements",
  "-c": "constraints",
  "--constraint": "constraints",
};
const EDITABLE_OPTIONS = new Set(["-e", "--editable"]);
const COMMENT = /(^|\s+)#.*$/;

interface LogicalLine {
  text: string;
  /** 1-based line of its first physical line. */
  line: number;
  /** The first physical line, to locate names for columns. */
  firstPhysical: string;
}

export function joinLines(text: string): LogicalLine[] {
  const physical = text.replace(/\r\n?/g, "\n").split("\n");
  const logical: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  physical.forEach((raw, index) => {
    const isComment = /^\s*#/.test(raw);
    if (pending) {
      // pip: a comment line ends a continuation instead of joining it.
      if (isComment) {
        logical.push(pending);
        pending = undefined;
      } else if (raw.endsWith("\\")) {
        pending.text += raw.slice(0, -1);
        return;
      } else {
        pending.text += raw;
        logical.push(pending);
        pending = undefined;
        return;
      }
    }
    if (!isComment && raw.endsWith("\\")) {
      pending = { text: raw.slice(0, -1), line: index + 1, firstPhysical: raw };
      return;
    }
    logical.push({ text: raw, line: index + 1, firstPhysical: raw });
  });
  if (pending) logical.push(pending);
  return logical;
}

export function parseRequirementsFile(filePath: string, text: string): RequirementsFile {
  const result: RequirementsFile = { dependencies: [], problems: [], includes: [] };
  const problem = (line: number, message: string): void => {
    result.problems.push({ path: filePath, line, message });
  };

  for (const logical of joinLines(text)) {
    const content = logical.text.replace(COMMENT, "").trim();
    if (content === "") continue;

    if (content.startsWith("-")) {
      const option = /^(--?[A-Za-z][\w-]*)(?:=|\s+)?(.*)$/.exec(content);
      let name = option?.[1] ?? content;
      let argument = option?.[2]?.trim() ?? "";
      // Short options may be glued to their argument: `-rbase.txt`, `-e.`.
      const glued = /^-([rce])(\S.*)$/.exec(content);
      if (glued && !content.startsWith("--")) {
        name = `-${glued[1]}`;
        argument = (glued[2] ?? "").replace(/^=/, "").trim();
      }
      const includeKind = INCLUDE_OPTIONS[name];
      if (includeKind) {
        if (argument === "") {
          problem(logical.line, `${name} needs a file name`);
          continue;
        }
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(argument)) {
          problem(logical.line, `${name} ${argument}: a remote file cannot be checked`);
          continue;
        }
        if (argument.includes("${")) {
          problem(logical.line, `${name} ${argument}: environment variables cannot be resolved statically`);
          continue;
        }
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(filePath), argument));
        if (target.startsWith("../") || target === ".." || path.posix.isAbsolute(argument)) {
          problem(logical.line, `${name} ${argument} points outside the repository and cannot be checked`);
          continue;
        }
        result.includes.push({ target, kind: includeKind, line: logical.line });
        continue;
      }
      if (EDITABLE_OPTIONS.has(name)) {
        if (argument === "") problem(logical.line, `${name} needs a path or URL`);
        else addUrlRequirement(argument, logical, `${name} `);
        continue;
      }
      if (GLOBAL_OPTIONS.has(name)) continue;
      problem(logical.line, `unknown pip option ${name}`);
      continue;
    }

    // Per-requirement options (--hash, --config-settings, ...) follow the requirement.
    const requirementText = stripRequirementOptions(content);
    const firstWord = /^\S+/.exec(requirementText)?.[0] ?? "";
    const directReference = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(requirementText);
    if (!directReference && looksLikeUrlOrPath(firstWord)) {
      addUrlRequirement(requirementText, logical, "");
      continue;
    }
    const parsed = parseRequirement(requirementText);
    if (!parsed.ok) {
      problem(logical.line, `cannot parse requirement: ${parsed.error}`);
      continue;
    }
    add(parsed.requirement.name, parsed.requirement.extras, logical);
  }
  return result;

  function add(name: string, extras: string[], logical: LogicalLine): void {
    const column = logical.firstPhysical.indexOf(name);
    result.dependencies.push({
      ecosystem: "python",
      name,
      extras,
      path: filePath,
      line: logical.line,
      ...(column >= 0 ? { column: column + 1, endColumn: column + 1 + name.length } : {}),
      section: "requirements",
    });
  }

  function addUrlRequirement(text: string, logical: LogicalLine, label: string): void {
    const url = /^\S+/.exec(text)?.[0] ?? text;
    const name = nameFromUrl(url);
    if (name) {
      add(name, extrasFromUrl(url), logical);
      return;
    }
    if (isLocalDirectory(url)) return; // the project itself; its own manifests are checked
    problem(logical.line, `${label}${url}: cannot tell which package this installs (add #egg=<name> or use "<name> @ <url>")`);
  }
}

function stripRequirementOptions(content: string): string {
  let quote: string | undefined;
  for (let i = 0; i < content.length; i++) {
    const ch = content[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (/\s/.test(ch ?? "") && /^\s+--?[A-Za-z]/.test(content.slice(i))) return content.slice(0, i).trim();
  }
  return content;
}

function looksLikeUrlOrPath(word: string): boolean {
  if (word.includes("/") || word.includes("\\")) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(word)) return true;
  if (word === "." || word === "..") return true;
  return /\.(whl|tar\.gz|tar\.bz2|tgz|zip)$/i.test(word);
}

function isLocalDirectory(url: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith("file:")) return false;
  return !/\.(whl|tar\.gz|tar\.bz2|tgz|zip)$/i.test(url);
}
