// Report paths -> repository paths. Coverage tools write paths as the
// runner saw them: relative to the working directory, absolute under the
// checkout (`/home/runner/work/<repo>/<repo>/src/app.py`), or split into a
// Cobertura `<source>` and a file name. iact-bot does not know the
// checkout's folder, so it matches a repository path P to a report path that
// is P itself or ends with "/P" (whole segments only), preferring the
// exact match, then the shortest extra prefix. Known GitHub-hosted runner
// checkouts are stripped for display.

import type { FileCoverage } from "./types.js";

/** Forward slashes, no "./" segments, ".." resolved where the path allows, no trailing slash. */
export function normalisePath(path: string): string {
  const slashed = path.trim().replace(/\\/g, "/");
  const absolute = slashed.startsWith("/");
  const segments: string[] = [];
  for (const segment of slashed.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && segments.length > 0 && segments[segments.length - 1] !== "..") segments.pop();
    else segments.push(segment);
  }
  return (absolute ? "/" : "") + segments.join("/");
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:\//.test(path);
}

/** A Cobertura file name inside a `<source>` folder (an absolute file name stands alone). */
export function joinPath(folder: string, file: string): string {
  const normalisedFile = normalisePath(file);
  if (isAbsolutePath(normalisedFile) || folder.trim() === "" || folder.trim() === ".") return normalisedFile;
  return normalisePath(`${folder}/${file}`);
}

// The checkout folders of GitHub-hosted runners (Linux, macOS, Windows) and of container jobs.
const RUNNER_CHECKOUTS = [/^\/home\/runner\/work\/[^/]+\/[^/]+\//, /^\/Users\/runner\/work\/[^/]+\/[^/]+\//, /^[A-Za-z]:\/a\/[^/]+\/[^/]+\//, /^\/__w\/[^/]+\/[^/]+\//];

/** The path to show: a GitHub-hosted runner's checkout folder removed, anything else as the report wrote it. */
export function displayPath(path: string): string {
  for (const checkout of RUNNER_CHECKOUTS) if (checkout.test(path)) return path.replace(checkout, "");
  return path;
}

/** How far `candidate` is from the repository path: 0 for equal, the extra prefix's length for a suffix match, undefined for no match. */
function distance(candidate: string, repositoryPath: string): number | undefined {
  if (candidate === repositoryPath) return 0;
  if (candidate.endsWith(`/${repositoryPath}`)) return candidate.length - repositoryPath.length;
  return undefined;
}

/** The report's file for a repository path, or undefined when no report path ends with it. */
export function findCoverageFor(repositoryPath: string, files: readonly FileCoverage[]): FileCoverage | undefined {
  const wanted = normalisePath(repositoryPath);
  let best: { file: FileCoverage; distance: number } | undefined;
  for (const file of files) {
    for (const candidate of file.candidates) {
      const found = distance(candidate, wanted);
      if (found !== undefined && (!best || found < best.distance)) best = { file, distance: found };
    }
  }
  return best?.file;
}
