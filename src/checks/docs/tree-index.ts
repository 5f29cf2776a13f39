// What exists in the commit, answered from `RepoFiles.paths` alone (never the
// disk), so case sensitivity is Git's, not the operating system's.

const MARKDOWN_EXTENSION = /\.(md|markdown|mdown|mkdn|mkd|mdwn)$/i;
const README_NAME = /^readme\.(md|markdown|mdown|mkdn|mkd|mdwn)$/i;

export function isMarkdownPath(path: string): boolean {
  return MARKDOWN_EXTENSION.test(path);
}

export class TreeIndex {
  readonly files: ReadonlySet<string>;
  /** Every folder that has at least one file below it ("" is the root). */
  private readonly folders = new Set<string>([""]);
  /** Folder -> its Markdown README, the first by code-unit order of the name. */
  private readonly readmes = new Map<string, string>();
  private lowerCaseIndex: Map<string, string> | undefined;

  constructor(paths: readonly string[]) {
    this.files = new Set(paths);
    for (const path of paths) {
      const slash = path.lastIndexOf("/");
      const folder = slash === -1 ? "" : path.slice(0, slash);
      const name = path.slice(slash + 1);
      if (README_NAME.test(name)) {
        const current = this.readmes.get(folder);
        if (current === undefined || name < current.slice(current.lastIndexOf("/") + 1)) {
          this.readmes.set(folder, path);
        }
      }
      for (let index = path.indexOf("/"); index !== -1; index = path.indexOf("/", index + 1)) {
        this.folders.add(path.slice(0, index));
      }
    }
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  isFolder(path: string): boolean {
    return this.folders.has(path);
  }

  /** The Markdown README GitHub renders below a folder listing, if any. */
  readmeOf(folder: string): string | undefined {
    return this.readmes.get(folder);
  }

  /** A file or folder that differs only in letter case, for "did you mean". */
  caseInsensitiveMatch(path: string): string | undefined {
    if (this.lowerCaseIndex === undefined) {
      this.lowerCaseIndex = new Map();
      for (const entry of [...this.files, ...this.folders]) {
        this.lowerCaseIndex.set(entry.toLowerCase(), entry);
      }
    }
    const match = this.lowerCaseIndex.get(path.toLowerCase());
    return match === path ? undefined : match;
  }
}
