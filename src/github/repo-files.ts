// RepoFiles over GitHub's git database API, for one commit:
//   1. paths from ONE recursive tree call (`GET .../git/trees/{sha}?recursive=1`);
//      when GitHub truncates it (over 100,000 entries or 7 MB), the sub-trees
//      are fetched one by one (each recursively, walking further down only
//      where that is truncated too);
//   2. a file's text from `GET .../git/blobs/{blob sha}`, only when a rule reads it,
//      through a process-wide BlobCache keyed by blob sha, so an unchanged file is
//      never fetched twice, across runs, commits and checks;
//   3. a cold run that keeps missing the cache (more than `archiveAfterBlobs`
//      blob calls) downloads the commit's tarball once instead (1 API call; the
//      bytes come from codeload) and takes the remaining files from it. Without
//      this, the restrictions check of a 10,000-file Django repository reads
//      ~7,700 Python files: more than an installation's 5,000 requests/hour.
//      Each archived file is checked against the tree's blob sha (git hashes
//      it the same way), so files changed by export-subst or left out by
//      export-ignore are still read blob by blob.
// Every call is counted in an ApiCallCounter.
import type { ProbotOctokit } from "probot";
import type { RepoFiles } from "../checks/types.js";
import { createHash } from "node:crypto";
import { ApiCallCounter, ARCHIVE_ENDPOINT, BLOB_ENDPOINT, TREE_ENDPOINT } from "./api-call-counter.js";
import type { BlobCache } from "./blob-cache.js";
import { readTarGz } from "./tar-archive.js";
import { limitConcurrency } from "../lib/concurrency.js";

export interface CommitRef {
  owner: string;
  repo: string;
  /** A commit sha (or a tree sha). */
  sha: string;
}

export interface GitHubRepoFiles extends RepoFiles {
  readonly counter: ApiCallCounter;
  /** Blobs fetched from GitHub by this instance (cache misses). */
  readonly blobsFetched: number;
  /** Whether the recursive tree came back truncated and sub-trees were walked. */
  readonly treeWasTruncated: boolean;
  /** Whether the commit's tarball was downloaded (a cold run over many files). */
  readonly archiveUsed: boolean;
}

export interface RepoFilesOptions {
  counter?: ApiCallCounter;
  /** Concurrent blob/tree requests (default 16: GitHub allows 100 concurrent requests per token; we stay far below). */
  concurrency?: number;
  /** Blob calls after which the rest comes from one tarball (default 100; Infinity: never). */
  archiveAfterBlobs?: number;
  /** No tarball for trees whose files add up to more than this (default 256 MB). */
  maxArchiveBytes?: number;
}

export const DEFAULT_ARCHIVE_AFTER_BLOBS = 100;
const DEFAULT_MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

export function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

interface TreeEntry {
  path?: string;
  type?: string;
  sha?: string;
  size?: number;
}

const BLOB_TYPE = "blob";
const TREE_TYPE = "tree";

/** Reads the commit's tree now; files are read lazily. */
export async function createGitHubRepoFiles(
  octokit: ProbotOctokit,
  commit: CommitRef,
  blobCache: BlobCache,
  options: RepoFilesOptions = {},
): Promise<GitHubRepoFiles> {
  const counter = options.counter ?? new ApiCallCounter();
  const limit = limitConcurrency(options.concurrency ?? 16);
  const { owner, repo } = commit;
  const blobShas = new Map<string, string>();
  let treeBytes = 0;

  const getTree = async (treeSha: string, recursive: boolean) => {
    counter.add(TREE_ENDPOINT);
    const response = await limit(() =>
      octokit.rest.git.getTree({ owner, repo, tree_sha: treeSha, ...(recursive ? { recursive: "true" } : {}) }),
    );
    return response.data as { tree: TreeEntry[]; truncated: boolean };
  };
  const addBlobs = (entries: readonly TreeEntry[], prefix: string) => {
    for (const entry of entries) {
      if (entry.type === BLOB_TYPE && entry.path && entry.sha) {
        blobShas.set(prefix + entry.path, entry.sha);
        treeBytes += entry.size ?? 0;
      }
    }
  };
  /** A truncated listing of `treeSha`: list its level, then each sub-tree on its own. */
  const walk = async (treeSha: string, prefix: string): Promise<void> => {
    const level = await getTree(treeSha, false);
    addBlobs(level.tree, prefix);
    const subtrees = level.tree.filter((entry) => entry.type === TREE_TYPE && entry.path && entry.sha);
    await Promise.all(
      subtrees.map(async (entry) => {
        const childPrefix = `${prefix}${entry.path}/`;
        const child = await getTree(entry.sha!, true);
        if (child.truncated) await walk(entry.sha!, childPrefix);
        else addBlobs(child.tree, childPrefix);
      }),
    );
  };

  const root = await getTree(commit.sha, true);
  if (root.truncated) await walk(commit.sha, "");
  else addBlobs(root.tree, "");

  const paths = [...blobShas.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const inFlight = new Map<string, Promise<string>>();
  let blobsFetched = 0;
  const archiveAfterBlobs = options.archiveAfterBlobs ?? DEFAULT_ARCHIVE_AFTER_BLOBS;
  const archiveAllowed = treeBytes <= (options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES);
  /** Texts from the tarball for this run, by blob sha; only those read go to the shared cache. */
  let archive: Promise<Map<string, string> | undefined> | undefined;

  const loadArchive = async (): Promise<Map<string, string> | undefined> => {
    counter.add(ARCHIVE_ENDPOINT);
    try {
      const response = await octokit.rest.repos.downloadTarballArchive({ owner, repo, ref: commit.sha });
      const texts = new Map<string, string>();
      const wanted = new Set(blobShas.values());
      for (const [, bytes] of readTarGz(new Uint8Array(response.data as ArrayBuffer))) {
        const sha = gitBlobSha(bytes);
        if (!wanted.has(sha)) continue; // export-subst, or not a file of the tree
        const text = bytes.toString("utf8");
        texts.set(sha, text);
      }
      return texts;
    } catch {
      // The archive is an optimisation: on any failure, keep reading blob by blob.
      return undefined;
    }
  };

  const fetchBlob = (blobSha: string): Promise<string> => {
    const cached = blobCache.get(blobSha);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = inFlight.get(blobSha);
    if (!pending) {
      pending = limit(async () => {
        if (!archive && archiveAllowed && blobsFetched >= archiveAfterBlobs) archive = loadArchive();
        const fromArchive = archive ? (await archive)?.get(blobSha) : undefined;
        if (fromArchive !== undefined) {
          blobCache.set(blobSha, fromArchive);
          return fromArchive;
        }
        counter.add(BLOB_ENDPOINT);
        blobsFetched += 1;
        const response = await octokit.rest.git.getBlob({ owner, repo, file_sha: blobSha });
        const { content, encoding } = response.data;
        const text = encoding === "base64" ? Buffer.from(content, "base64").toString("utf8") : content;
        blobCache.set(blobSha, text);
        return text;
      }).finally(() => inFlight.delete(blobSha));
      inFlight.set(blobSha, pending);
    }
    return pending;
  };

  return {
    paths,
    counter,
    get blobsFetched() {
      return blobsFetched;
    },
    treeWasTruncated: root.truncated,
    get archiveUsed() {
      return archive !== undefined;
    },
    async read(path: string) {
      const blobSha = blobShas.get(path);
      return blobSha === undefined ? undefined : fetchBlob(blobSha);
    },
  };
}
