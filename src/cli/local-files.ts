// RepoFiles over a directory on disk, for `iact-bot check`: in a git checkout
// the files git knows (tracked, plus untracked ones not ignored, so a new file
// is checked before it is committed); elsewhere a walk that skips .git and
// node_modules. Paths are relative to the directory, with forward slashes.
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { RepoFiles } from "../checks/types.js";

const run = promisify(execFile);
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);

async function gitFiles(directory: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await run("git", ["-C", directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout.split("\0").filter((entry) => entry !== "");
  } catch {
    return undefined; // not a git checkout, or no git
  }
}

async function walk(root: string, relative = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await walk(root, child)));
    } else if (entry.isFile()) {
      found.push(child);
    }
  }
  return found;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

export async function createLocalRepoFiles(directory: string): Promise<RepoFiles & { source: "git" | "walk" }> {
  const root = path.resolve(directory);
  const listed = await gitFiles(root);
  let paths: string[];
  if (listed) {
    // Deleted-but-tracked files and submodule folders are listed by git; keep real files only.
    const checks = await Promise.all(listed.map(async (file) => ((await isFile(path.join(root, file))) ? file : undefined)));
    paths = checks.filter((file): file is string => file !== undefined);
  } else {
    paths = await walk(root);
  }
  paths = [...new Set(paths.map((file) => file.split(path.sep).join("/")))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const known = new Set(paths);
  return {
    paths,
    source: listed ? "git" : "walk",
    async read(file: string) {
      return known.has(file) ? readFile(path.join(root, file), "utf8") : undefined;
    },
  };
}
