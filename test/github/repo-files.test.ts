// RepoFiles over GitHub's git API, against nock: one recursive tree call,
// blobs only when read, cached by blob sha across instances, and the walk of
// sub-trees when GitHub truncates the recursive listing.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARCHIVE_ENDPOINT, BLOB_ENDPOINT, TREE_ENDPOINT } from "../../src/github/api-call-counter.js";
import { BlobCache } from "../../src/github/blob-cache.js";
import { createGitHubRepoFiles, gitBlobSha } from "../../src/github/repo-files.js";
import { readTarGz } from "../../src/github/tar-archive.js";

/** A .tar.gz shaped like GitHub's tarball (pax format, everything under `o-r-sha/`), made by the system tar. */
function tarball(files: Record<string, string>): Buffer {
  const directory = mkdtempSync(path.join(tmpdir(), "iact-tar-"));
  try {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(directory, "o-r-c0ffee", file)), { recursive: true });
      writeFileSync(path.join(directory, "o-r-c0ffee", file), text);
    }
    return execFileSync("tar", ["--format=pax", "-czf", "-", "-C", directory, "o-r-c0ffee"]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const API = "https://api.github.com";
const octokit = () =>
  new ProbotOctokit({ auth: { token: "test-token" }, retry: { enabled: false }, throttle: { enabled: false } }) as InstanceType<typeof ProbotOctokit>;
const blob = (text: string) => ({ content: Buffer.from(text).toString("base64"), encoding: "base64", sha: "x", size: text.length });

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("createGitHubRepoFiles", () => {
  it("lists blob paths from one recursive tree call and reads a blob only when asked, once per blob sha", async () => {
    const api = nock(API)
      .get("/repos/o/r/git/trees/c0ffee")
      .query({ recursive: "true" })
      .reply(200, {
        sha: "c0ffee",
        truncated: false,
        tree: [
          { path: "b.txt", type: "blob", sha: "blob-b" },
          { path: "a", type: "tree", sha: "tree-a" },
          { path: "a/x.py", type: "blob", sha: "blob-x" },
          { path: "a/same.py", type: "blob", sha: "blob-b" },
          { path: "vendor/lib", type: "commit", sha: "submodule" },
        ],
      })
      .get("/repos/o/r/git/blobs/blob-b")
      .reply(200, blob("héllo\n"));
    const cache = new BlobCache();
    const files = await createGitHubRepoFiles(octokit(), { owner: "o", repo: "r", sha: "c0ffee" }, cache);
    expect(files.paths).toEqual(["a/same.py", "a/x.py", "b.txt"]);
    expect(await Promise.all([files.read("b.txt"), files.read("a/same.py"), files.read("b.txt")])).toEqual(["héllo\n", "héllo\n", "héllo\n"]);
    expect(await files.read("missing.txt")).toBeUndefined();
    expect(files.counter.byEndpoint()).toEqual({ [BLOB_ENDPOINT]: 1, [TREE_ENDPOINT]: 1 });
    expect(files.blobsFetched).toBe(1);
    expect(api.isDone()).toBe(true);

    // A later run (another commit) with the same blob: no blob call.
    nock(API)
      .get("/repos/o/r/git/trees/d00d")
      .query({ recursive: "true" })
      .reply(200, { sha: "d00d", truncated: false, tree: [{ path: "renamed.txt", type: "blob", sha: "blob-b" }] });
    const second = await createGitHubRepoFiles(octokit(), { owner: "o", repo: "r", sha: "d00d" }, cache);
    expect(await second.read("renamed.txt")).toBe("héllo\n");
    expect(second.counter.count(BLOB_ENDPOINT)).toBe(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("rejects a read GitHub rate-limits with its status, caches nothing for it, and asks again on the next read", async () => {
    nock(API)
      .get("/repos/o/r/git/trees/c0ffee")
      .query({ recursive: "true" })
      .reply(200, { sha: "c0ffee", truncated: false, tree: [{ path: "a.py", type: "blob", sha: "blob-a" }] })
      .get("/repos/o/r/git/blobs/blob-a")
      .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "60" })
      .get("/repos/o/r/git/blobs/blob-a")
      .reply(200, blob("a = 1\n"));
    const cache = new BlobCache();
    const files = await createGitHubRepoFiles(octokit(), { owner: "o", repo: "r", sha: "c0ffee" }, cache);
    await expect(files.read("a.py")).rejects.toMatchObject({ status: 403, message: expect.stringContaining("secondary rate limit") });
    expect(cache.size).toBe(0);
    expect(await files.read("a.py")).toBe("a = 1\n");
    expect(files.counter.count(BLOB_ENDPOINT)).toBe(2);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("walks sub-trees when the recursive listing is truncated", async () => {
    nock(API)
      .get("/repos/o/r/git/trees/big")
      .query({ recursive: "true" })
      .reply(200, { sha: "big", truncated: true, tree: [{ path: "README.md", type: "blob", sha: "r1" }] })
      .get("/repos/o/r/git/trees/big")
      .reply(200, {
        sha: "big",
        truncated: false,
        tree: [
          { path: "README.md", type: "blob", sha: "r1" },
          { path: "src", type: "tree", sha: "t-src" },
          { path: "docs", type: "tree", sha: "t-docs" },
        ],
      })
      .get("/repos/o/r/git/trees/t-src")
      .query({ recursive: "true" })
      .reply(200, { sha: "t-src", truncated: false, tree: [{ path: "deep", type: "tree", sha: "t-deep" }, { path: "deep/a.py", type: "blob", sha: "a1" }] })
      .get("/repos/o/r/git/trees/t-docs")
      .query({ recursive: "true" })
      .reply(200, { sha: "t-docs", truncated: true, tree: [] })
      .get("/repos/o/r/git/trees/t-docs")
      .reply(200, { sha: "t-docs", truncated: false, tree: [{ path: "index.md", type: "blob", sha: "d1" }, { path: "img", type: "tree", sha: "t-img" }] })
      .get("/repos/o/r/git/trees/t-img")
      .query({ recursive: "true" })
      .reply(200, { sha: "t-img", truncated: false, tree: [{ path: "logo.png", type: "blob", sha: "p1" }] });
    const files = await createGitHubRepoFiles(octokit(), { owner: "o", repo: "r", sha: "big" }, new BlobCache());
    expect(files.paths).toEqual(["README.md", "docs/img/logo.png", "docs/index.md", "src/deep/a.py"]);
    expect(files.treeWasTruncated).toBe(true);
    expect(files.counter.count(TREE_ENDPOINT)).toBe(6);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("the tarball for cold runs", () => {
  const longPath = `${"deep/".repeat(25)}settings.py`; // over tar's 100-character name field
  const files: Record<string, string> = {
    "a.py": "a = 1\n",
    "b.py": "b = 2\n",
    "c.py": "c = 3\n",
    [longPath]: "DEBUG = False\n",
    "version.py": "VERSION = '$Format:%H$'\n",
  };
  const sha = (text: string) => gitBlobSha(Buffer.from(text));

  it("reads a pax tarball's files without its top folder, long paths included", () => {
    const read = readTarGz(tarball(files));
    expect([...read.keys()].sort()).toEqual(Object.keys(files).sort());
    expect(read.get(longPath)?.toString()).toBe("DEBUG = False\n");
  });

  it("after `archiveAfterBlobs` blob calls, takes the other files from one tarball; a file that differs there is read as a blob", async () => {
    nock(API)
      .get("/repos/o/r/git/trees/c0ffee")
      .query({ recursive: "true" })
      .reply(200, { sha: "c0ffee", truncated: false, tree: Object.entries(files).map(([file, text]) => ({ path: file, type: "blob", sha: sha(text), size: text.length })) })
      .get(`/repos/o/r/git/blobs/${sha(files["a.py"]!)}`)
      .reply(200, blob(files["a.py"]!))
      .get(`/repos/o/r/git/blobs/${sha(files["b.py"]!)}`)
      .reply(200, blob(files["b.py"]!))
      // export-subst: the archive holds the expanded text, which is not the tree's blob.
      .get("/repos/o/r/tarball/c0ffee")
      .reply(200, tarball({ ...files, "version.py": "VERSION = 'c0ffee'\n" }), { "content-type": "application/x-gzip" })
      .get(`/repos/o/r/git/blobs/${sha(files["version.py"]!)}`)
      .reply(200, blob(files["version.py"]!));
    const repoFiles = await createGitHubRepoFiles(octokit(), { owner: "o", repo: "r", sha: "c0ffee" }, new BlobCache(), { archiveAfterBlobs: 2 });
    for (const file of Object.keys(files).sort()) expect(await repoFiles.read(file)).toBe(files[file]);
    expect(repoFiles.counter.byEndpoint()).toEqual({ [ARCHIVE_ENDPOINT]: 1, [BLOB_ENDPOINT]: 3, [TREE_ENDPOINT]: 1 });
    expect(repoFiles.archiveUsed).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("keeps reading blobs when the tarball fails", async () => {
    nock(API)
      .get("/repos/o/r/git/trees/c0ffee")
      .query({ recursive: "true" })
      .reply(200, { sha: "c0ffee", truncated: false, tree: ["a.py", "b.py"].map((file) => ({ path: file, type: "blob", sha: sha(files[file]!) })) })
      .get(`/repos/o/r/git/blobs/${sha(files["a.py"]!)}`)
      .reply(200, blob(files["a.py"]!))
      .get("/repos/o/r/tarball/c0ffee")
      .reply(502, { message: "Server Error" })
      .get(`/repos/o/r/git/blobs/${sha(files["b.py"]!)}`)
      .reply(200, blob(files["b.py"]!));
    const repoFiles = await createGitHubRepoFiles(octokit(), { owner: "o", repo: "r", sha: "c0ffee" }, new BlobCache(), { archiveAfterBlobs: 1 });
    expect(await repoFiles.read("a.py")).toBe(files["a.py"]);
    expect(await repoFiles.read("b.py")).toBe(files["b.py"]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("BlobCache", () => {
  it("evicts the least recently used entries beyond its byte cap and skips entries over a quarter of it", () => {
    const cache = new BlobCache({ maxBytes: 200 });
    for (const key of ["a", "b", "c", "d", "e"]) cache.set(key, key.repeat(20)); // 40 bytes each: 200
    expect(cache.get("a")).toBe("a".repeat(20)); // a is now the most recently used
    cache.set("f", "f".repeat(20)); // 240 > 200: b, the least recently used, goes
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("f")).toBeDefined();
    cache.set("huge", "h".repeat(30)); // 60 bytes > 200 / 4: not kept
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.usedBytes).toBe(200);
  });
});
