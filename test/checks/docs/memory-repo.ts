// RepoFiles over in-memory text, recording which paths the engine read.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

import type { RepoFiles } from "../../../src/checks/types.js";

export interface MemoryRepo extends RepoFiles {
  readonly reads: string[];
}

export function memoryRepo(files: Record<string, string>): MemoryRepo {
  const contents = new Map(Object.entries(files));
  const reads: string[] = [];
  return {
    paths: [...contents.keys()].sort(),
    reads,
    read(path) {
      reads.push(path);
      return Promise.resolve(contents.get(path));
    },
  };
}

/** Every file under `folder`, keyed by `prefix` + its path relative to the folder. */
export function filesOfFolder(folder: string, prefix = ""): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[prefix + relative(folder, full).split(sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(folder);
  return files;
}

export const FIXTURES = new URL("../../fixtures/docs/", import.meta.url).pathname;
