export type Ecosystem = "python" | "npm";

/** One declared dependency, located at the manifest line that declares it. */
export interface Dependency {
  ecosystem: Ecosystem;
  /** The installed package's name as written (for an npm alias, the aliased package). */
  name: string;
  extras: string[];
  path: string;
  line: number;
  column?: number;
  endColumn?: number;
  /** Where in the manifest, e.g. "[project] dependencies", "devDependencies". */
  section: string;
  /** npm alias key (`"cache": "npm:redis@4"` -> "cache"). */
  alias?: string;
}

/** A line (or whole file) that could not be read as a manifest. */
export interface ManifestProblem {
  path: string;
  line: number;
  column?: number;
  message: string;
  /** What was left unchecked; default "The line was not checked for forbidden dependencies." */
  consequence?: string;
}

export interface ManifestResult {
  dependencies: Dependency[];
  problems: ManifestProblem[];
}
