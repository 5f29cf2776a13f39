// Benchmark of the restrictions check as the GitHub App runs it: a generated
// Django-like repository of 10,000 files served through nock (one recursive
// tree, blobs by sha) to createGitHubRepoFiles + runRestrictions. Reports the
// API calls by endpoint, the blobs fetched, time and findings; then a second
// run of a new commit with the same blobs, to show the blob cache (0 blob
// calls). The cold run is measured twice: blob by blob (archiveAfterBlobs:
// Infinity) and as shipped (after 100 blob calls, one tarball). Run alone:
//   npx tsx bench/restrictions-check.ts
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import nock from "nock";
import { ProbotOctokit } from "probot";

import { defaultRestrictionsConfig, runRestrictions } from "../src/checks/restrictions/index.js";
import { ARCHIVE_ENDPOINT, BLOB_ENDPOINT, TREE_ENDPOINT } from "../src/github/api-call-counter.js";
import { BlobCache } from "../src/github/blob-cache.js";
import { createGitHubRepoFiles } from "../src/github/repo-files.js";

const API = "https://api.github.com";
const OWNER = "iact-bench";
const REPO = "callcentersite";
const TOTAL_FILES = 10_000;
const APPS = 400;

/** Deliberate violations, so the findings can be checked: rule id -> count. */
const EXPECTED_FINDINGS = { "no-redis-dependency": 2, "no-redis-settings": 1, "session-engine-db": 1, "no-email-sending": 5 };

function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function pythonModule(app: number, kind: string): string {
  const lines = [`"""${kind} of app ${app}."""`, "from django.db import models", ""];
  for (let index = 0; index < 12; index += 1) {
    lines.push(`def ${kind}_${index}(request, value=${index}):`, `    # a comment mentioning redis and send_mail is not a violation`, `    return {"app": ${app}, "value": value, "text": "redis://not-a-setting"}`, "");
  }
  return lines.join("\n");
}

/** A Django-like tree: manifests, split settings, APP apps of Python modules, templates, static files and docs. */
export function generateRepository(): Map<string, string> {
  const files = new Map<string, string>();
  files.set("requirements.txt", "-r requirements/base.txt\ngunicorn==22.0.0\n");
  files.set("requirements/base.txt", "Django==5.0.6\npsycopg[binary]==3.1.19\ndjango-redis==5.4.0  # deliberate\ncelery[redis]==5.4.0  # deliberate\n");
  files.set("requirements/dev.txt", "-r base.txt\npytest==8.2.0\n");
  files.set("pyproject.toml", '[project]\nname = "callcentersite"\nversion = "1.0.0"\ndependencies = ["Django>=5"]\n');
  files.set("frontend/package.json", JSON.stringify({ name: "frontend", dependencies: { react: "^18.3.0" } }, null, 2));
  files.set("api/callcentersite/settings/base.py", 'SESSION_ENGINE = "django.contrib.sessions.backends.db"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}\n');
  files.set(
    "api/callcentersite/settings/prod.py",
    'from .base import *\n\nCACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://cache:6379/1"}}  # deliberate\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"  # deliberate\n',
  );
  files.set("api/callcentersite/settings/__init__.py", "");
  files.set("docs/INDICE.md", "# Index\n");
  const kinds = ["models", "views", "urls", "admin", "tests", "services", "forms", "serializers", "signals", "apps"];
  let app = 0;
  while (files.size < TOTAL_FILES) {
    const base = `api/callcentersite/apps/app${String(app % APPS).padStart(3, "0")}`;
    const round = Math.floor(app / APPS);
    for (const kind of kinds) files.set(`${base}/${kind}${round > 0 ? `_${round}` : ""}.py`, pythonModule(app, kind));
    files.set(`${base}/templates/app${app}/page${round}.html`, `<h1>App ${app}</h1>\n`);
    files.set(`${base}/static/app${app}/main${round}.js`, `export const app = ${app};\n`);
    files.set(`docs/apps/app${app}.md`, `# App ${app}\n\nSee the [index](../INDICE.md).\n`);
    app += 1;
  }
  // Deliberate email sending in five service modules.
  for (let index = 0; index < 5; index += 1) {
    const path = `api/callcentersite/apps/app${String(index * 7).padStart(3, "0")}/services.py`;
    files.set(path, `${files.get(path)}\nfrom django.core.mail import send_mail\n\n\ndef notify(user):\n    send_mail("Hi", "Body", "noreply@example.com", [user.email])\n`);
  }
  // Trim back to exactly TOTAL_FILES (the last round may overshoot), keeping the deliberate files.
  for (const path of [...files.keys()].reverse()) {
    if (files.size <= TOTAL_FILES) break;
    if (path.startsWith("docs/apps/")) files.delete(path);
  }
  return files;
}

interface FakeGitHub {
  blobCalls: number;
  treeCalls: number;
  archiveCalls: number;
}

/** The repository as GitHub's tarball endpoint serves it (pax, under `<owner>-<repo>-<sha>/`), built by the system tar. */
function tarball(files: Map<string, string>): Buffer {
  const directory = mkdtempSync(path.join(tmpdir(), "iact-bench-"));
  try {
    for (const [file, text] of files) {
      const target = path.join(directory, "repo", file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    return execFileSync("tar", ["--format=pax", "-czf", "-", "-C", directory, "repo"], { maxBuffer: 1024 * 1024 * 1024 });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** nock for the tree of `commitSha` and for every blob by its sha. */
function serve(files: Map<string, string>, commitShas: string[]): FakeGitHub {
  const calls: FakeGitHub = { blobCalls: 0, treeCalls: 0, archiveCalls: 0 };
  const archive = tarball(files);
  const blobs = new Map<string, string>();
  const tree = [...files.entries()].map(([path, text]) => {
    const sha = gitBlobSha(text);
    blobs.set(sha, text);
    return { path, mode: "100644", type: "blob", sha, size: Buffer.byteLength(text) };
  });
  for (const commitSha of commitShas) {
    nock(API)
      .get(`/repos/${OWNER}/${REPO}/git/trees/${commitSha}`)
      .query({ recursive: "true" })
      .reply(200, () => {
        calls.treeCalls += 1;
        return { sha: commitSha, truncated: false, tree };
      });
  }
  nock(API)
    .persist()
    .get(new RegExp(`^/repos/${OWNER}/${REPO}/tarball/[0-9a-f]{40}$`))
    .reply(200, () => {
      calls.archiveCalls += 1;
      return archive;
    }, { "content-type": "application/x-gzip" });
  nock(API)
    .persist()
    .get(new RegExp(`^/repos/${OWNER}/${REPO}/git/blobs/[0-9a-f]{40}$`))
    .reply(200, (uri) => {
      calls.blobCalls += 1;
      const sha = uri.split("/").pop()!;
      const text = blobs.get(sha) ?? "";
      return { sha, content: Buffer.from(text).toString("base64"), encoding: "base64", size: Buffer.byteLength(text) };
    });
  return calls;
}

async function checkOnce(octokit: InstanceType<typeof ProbotOctokit>, sha: string, cache: BlobCache, archiveAfterBlobs?: number) {
  const started = performance.now();
  const files = await createGitHubRepoFiles(octokit, { owner: OWNER, repo: REPO, sha }, cache, archiveAfterBlobs === undefined ? {} : { archiveAfterBlobs });
  const treeMs = performance.now() - started;
  const result = await runRestrictions(files, defaultRestrictionsConfig);
  const totalMs = performance.now() - started;
  const findingsByRule: Record<string, number> = {};
  for (const finding of result.findings) findingsByRule[finding.ruleId] = (findingsByRule[finding.ruleId] ?? 0) + 1;
  return {
    files: files.paths.length,
    api_calls: files.counter.total,
    api_calls_by_endpoint: { tree: files.counter.count(TREE_ENDPOINT), blobs: files.counter.count(BLOB_ENDPOINT), tarball: files.counter.count(ARCHIVE_ENDPOINT) },
    blobs_fetched: files.blobsFetched,
    tree_ms: Math.round(treeMs),
    total_ms: Math.round(totalMs),
    findings: result.findings.length,
    findings_by_rule: findingsByRule,
  };
}

export async function benchRestrictionsCheck(): Promise<Record<string, unknown>> {
  const files = generateRepository();
  const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  nock.disableNetConnect();
  const served = serve(files, ["a".repeat(40), "b".repeat(40), "c".repeat(40)]);
  const octokit = new ProbotOctokit({ auth: { token: "bench" }, retry: { enabled: false }, throttle: { enabled: false } }) as InstanceType<typeof ProbotOctokit>;
  const cache = new BlobCache();
  try {
    // Cold, blob by blob: what the rules need costs one call per file.
    const blobByBlob = await checkOnce(octokit, "a".repeat(40), new BlobCache(), Number.POSITIVE_INFINITY);
    // Cold, as shipped: 100 blob calls, then one tarball for the rest.
    const first = await checkOnce(octokit, "b".repeat(40), cache);
    // A new commit with the same blobs: the tree is fetched again, no blob is.
    const second = await checkOnce(octokit, "c".repeat(40), cache);
    const expectedOk = [blobByBlob, first, second].every((run) =>
      Object.entries(EXPECTED_FINDINGS).every(([rule, count]) => run.findings_by_rule[rule] === count),
    );
    return {
      repository: { files: files.size, bytes, python_files: [...files.keys()].filter((path) => path.endsWith(".py")).length },
      cold_run_blob_by_blob: blobByBlob,
      cold_run_with_tarball: first,
      second_run_cached: second,
      served_by_fake_github: { tree_calls: served.treeCalls, blob_calls: served.blobCalls, tarball_calls: served.archiveCalls },
      blob_cache: { entries: cache.size, used_bytes: cache.usedBytes, max_bytes: cache.maxBytes },
      expected_findings: EXPECTED_FINDINGS,
      expected_findings_found: expectedOk,
      note: "GitHub API served by nock in-process: times exclude network latency (about 0.1 s per call on github.com, 16 blob calls at a time) and nock's own per-request overhead dominates the blob-by-blob run.",
    };
  } finally {
    nock.cleanAll();
    nock.enableNetConnect();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(JSON.stringify(await benchRestrictionsCheck(), null, 2));
}
