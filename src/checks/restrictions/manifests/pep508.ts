// PEP 508 dependency specifiers ("name[extras] (versions) ; markers" or
// "name[extras] @ url ; markers"), strict enough that a typo such as
// `redis>=>4` is reported instead of silently read as something else.

export interface Requirement {
  /** The name as written. */
  name: string;
  extras: string[];
  /** Present for `name @ url`. */
  url?: string;
}

export type RequirementParse = { ok: true; requirement: Requirement } | { ok: false; error: string };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const VERSION_SPEC = /^(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;()]+)/;
const VERSION = /^[A-Za-z0-9.*+!_-]+$/;

/** PEP 503 normalised project name: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export function parseRequirement(input: string): RequirementParse {
  const text = input.trim();
  const nameMatch = NAME.exec(text);
  if (!nameMatch) return { ok: false, error: `"${text}" does not start with a package name` };
  const name = nameMatch[0];
  let rest = text.slice(name.length).trimStart();

  const extras: string[] = [];
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1) return { ok: false, error: `unclosed "[" in the extras of ${name}` };
    const list = rest.slice(1, close).trim();
    if (list !== "") {
      for (const extra of list.split(",")) {
        const trimmed = extra.trim();
        if (!NAME.test(trimmed) || NAME.exec(trimmed)?.[0] !== trimmed) {
          return { ok: false, error: `"${trimmed}" is not a valid extra name in ${name}[...]` };
        }
        extras.push(trimmed);
      }
    }
    rest = rest.slice(close + 1).trimStart();
  }

  let url: string | undefined;
  if (rest.startsWith("@")) {
    const afterAt = rest.slice(1).trimStart();
    // A URL ends at whitespace; markers then follow after ";".
    const urlMatch = /^\S+/.exec(afterAt);
    if (!urlMatch) return { ok: false, error: `missing URL after "${name} @"` };
    url = urlMatch[0].replace(/;$/, "");
    rest = afterAt.slice(url.length).trimStart();
  } else {
    const versionEnd = rest.indexOf(";");
    let versions = (versionEnd === -1 ? rest : rest.slice(0, versionEnd)).trim();
    rest = versionEnd === -1 ? "" : rest.slice(versionEnd);
    if (versions.startsWith("(")) {
      if (!versions.endsWith(")")) return { ok: false, error: `unclosed "(" in the versions of ${name}` };
      versions = versions.slice(1, -1).trim();
    }
    if (versions !== "") {
      for (const spec of versions.split(",")) {
        const specMatch = VERSION_SPEC.exec(spec.trim());
        if (!specMatch || specMatch[0] !== spec.trim()) {
          return { ok: false, error: `"${spec.trim()}" is not a valid version specifier for ${name}` };
        }
        const [, operator, version] = specMatch;
        if (operator !== "===" && !VERSION.test(version ?? "")) {
          return { ok: false, error: `"${version}" is not a valid version for ${name}` };
        }
      }
    }
  }

  if (rest !== "") {
    if (!rest.startsWith(";")) return { ok: false, error: `unexpected "${rest}" after ${name}` };
    if (rest.slice(1).trim() === "") return { ok: false, error: `empty environment marker after ";" in ${name}` };
  }
  return { ok: true, requirement: url === undefined ? { name, extras } : { name, extras, url } };
}

/**
 * The project a URL or path installs, when it says: `#egg=name` (pip's old
 * convention) or a wheel/sdist file name. Undefined when the URL does not tell.
 */
export function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return egg[1]?.replace(/\[.*$/, "");
  const file = url.split(/[?#]/)[0]?.split("/").pop() ?? "";
  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*?)-\d[^-]*(?:-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file);
  if (wheel) return wheel[1];
  const sdist = /^([A-Za-z0-9][A-Za-z0-9._-]*?)-v?\d[\w.+!-]*\.(?:tar\.gz|tar\.bz2|tgz|zip)$/.exec(file);
  if (sdist) return sdist[1];
  return undefined;
}

/** Extras in a `#egg=name[extra]` fragment. */
export function extrasFromUrl(url: string): string[] {
  const egg = /[#&]egg=[A-Za-z0-9][A-Za-z0-9._-]*\[([^\]]*)\]/.exec(url);
  return egg?.[1] ? egg[1].split(",").map((extra) => extra.trim()).filter(Boolean) : [];
}
