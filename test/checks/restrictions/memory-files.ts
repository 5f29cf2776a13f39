// An in-memory RepoFiles that counts reads, so tests can prove which files
// the engine needed.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RepoFiles } from "../../../src/checks/types.js";

export interface CountingRepoFiles extends RepoFiles {
  /** Reads per path, in no particular order. */
  readonly reads: Map<string, number>;
  /** Paths read at least once, sorted. */
  readPaths(): string[];
}

export function memoryFiles(files: Record<string, string>): CountingRepoFiles {
  const reads = new Map<string, number>();
  return {
    paths: Object.keys(files).sort(),
    reads,
    readPaths: () => [...reads.keys()].sort(),
    async read(filePath) {
      reads.set(filePath, (reads.get(filePath) ?? 0) + 1);
      return Object.hasOwn(files, filePath) ? files[filePath] : undefined;
    },
  };
}

/** Loads a fixture directory into memory, paths relative to it with forward slashes. */
export async function fixtureFiles(directory: string): Promise<CountingRepoFiles> {
  const files: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files[path.relative(directory, full).split(path.sep).join("/")] = await readFile(full, "utf8");
    }
  };
  await walk(directory);
  return memoryFiles(files);
}
