// Turns a link destination as written in Markdown into what it points at in
// the repository, the way GitHub resolves relative links in rendered files.

export type LinkTarget =
  /** Nothing to check: empty, external (scheme: or //host), or a bare ?query. */
  | { kind: "ignored" }
  /** `#fragment` in the file itself. */
  | { kind: "same-file"; fragment: string }
  /** A web URL with nothing after its scheme (`https:`, `http://`): it goes nowhere. */
  | { kind: "empty-url"; written: string }
  | {
      kind: "path";
      /** The path part as written (query and fragment removed). */
      written: string;
      /** Repository-relative, normalised; undefined when it climbs above the root. */
      resolved: string | undefined;
      fragment: string | undefined;
    };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function parseLinkTarget(url: string, fromPath: string): LinkTarget {
  const destination = url.trim();
  if (/^https?:\/{0,2}$/i.test(destination)) return { kind: "empty-url", written: destination };
  if (destination === "" || SCHEME.test(destination) || destination.startsWith("//")) {
    return { kind: "ignored" };
  }
  // The first "#" starts the fragment: a "#" inside a file name must be written %23.
  const hashIndex = destination.indexOf("#");
  const fragment = hashIndex === -1 ? undefined : destination.slice(hashIndex + 1);
  let written = hashIndex === -1 ? destination : destination.slice(0, hashIndex);
  const queryIndex = written.indexOf("?");
  if (queryIndex !== -1) written = written.slice(0, queryIndex);
  if (written === "") {
    return fragment === undefined ? { kind: "ignored" } : { kind: "same-file", fragment };
  }
  return { kind: "path", written, resolved: resolvePath(percentDecode(written), fromPath), fragment };
}

/** Percent-decodes, keeping the text as written when it is not valid UTF-8 percent-encoding. */
export function percentDecode(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Resolves against the file's folder ("/" = repository root); undefined when
 * a relative path escapes the root. A root-relative path stays at the root, as
 * GitHub shows it (`/../../` is the repository home).
 */
export function resolvePath(path: string, fromPath: string): string | undefined {
  const fromRoot = path.startsWith("/");
  const segments = fromRoot ? [] : fromPath.split("/").slice(0, -1);
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length === 0) {
        if (fromRoot) continue;
        return undefined;
      }
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return segments.join("/");
}
