// The per-repository cache of .github/iact.yml, read through Probot's config
// plugin (the schema and the pure parser are src/config/repo-config.ts).
//
// API calls of RepoConfigCache.get (cache miss):
//   - file in the repository: 1 GET (raw contents, default branch);
//   - no file: 2 GETs (the repository, then the owner's `.github` repository);
//   - `_extends`: 1 more GET per extended file;
//   - invalid file: the same again for each file that holds configuration, to
//     read its text and find the line of each problem (only on the error path).
// Results, valid or invalid, are cached for `ttlMs`; a push to the default
// branch touching .github/iact.yml invalidates the entry, once per push
// (src/github/handlers/push.ts).
import type { Logger } from "pino";
import type { ProbotOctokit } from "probot";
import { mergeConfigs, REPO_CONFIG_PATH, repoConfigSchema, withoutExtends } from "../config/repo-config.js";
import type { RepoConfigProblem, RepoConfigResult } from "../config/repo-config.js";
import { locateProblems, parseYamlText } from "../config/yaml-locate.js";
import { httpStatusOf } from "../lib/http-status.js";

interface CacheEntry {
  expiresAt: number;
  result: Promise<RepoConfigResult>;
}

interface ConfigFileRef {
  owner: string;
  repo: string;
  path: string;
}

const DEFAULT_TTL_MS = 5 * 60_000;

export class RepoConfigCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly ttlMs: number;
  private readonly log: Logger | undefined;
  /** GETs made by this cache since it was built (for logs and tests). */
  apiCalls = 0;

  constructor(options: { ttlMs?: number; log?: Logger } = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.log = options.log;
  }

  get(octokit: ProbotOctokit, owner: string, repo: string): Promise<RepoConfigResult> {
    const key = cacheKey(owner, repo);
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.result;
    const result = this.load(octokit, owner, repo);
    this.entries.set(key, { expiresAt: Date.now() + this.ttlMs, result });
    // A transient failure (GitHub down) must not be cached: the next delivery asks again.
    result.catch(() => {
      if (this.entries.get(key)?.result === result) this.entries.delete(key);
    });
    return result;
  }

  /** Drops the entry (and any read in flight): the next get reads the file again. */
  invalidate(owner: string, repo: string): void {
    this.entries.delete(cacheKey(owner, repo));
  }

  private async load(octokit: ProbotOctokit, owner: string, repo: string): Promise<RepoConfigResult> {
    let loaded: Awaited<ReturnType<ProbotOctokit["config"]["get"]>>;
    try {
      loaded = await octokit.config.get({ owner, repo, path: REPO_CONFIG_PATH });
    } catch (error) {
      if (httpStatusOf(error) !== undefined) throw error; // an HTTP failure: let the caller retry
      // The plugin throws plain errors for invalid YAML, a non-object file and a bad `_extends`.
      return this.describePluginError(octokit, owner, repo, error as Error);
    }
    const files = loaded.files;
    this.apiCalls += files.length;
    // Highest priority first in `files` (repository, then org fallback, then what they extend).
    const layers = files.filter((file) => file.config !== null);
    const found = layers.length > 0;
    const merged = mergeConfigs([...layers].reverse().map((file) => withoutExtends(file.config)));
    const validated = repoConfigSchema.safeParse(merged);
    if (validated.success) {
      this.log?.debug({ owner, repo, found, files: files.map(describeFile) }, "repository configuration loaded");
      return { ok: true, config: validated.data, found };
    }
    const documents = await this.readDocuments(octokit, layers);
    const problems = locateProblems(validated.error.issues, documents.map((document) => document.document), (index) =>
      sourceLabel(documents[index]!.file, owner, repo),
    );
    this.log?.info({ owner, repo, problems }, "invalid repository configuration");
    return { ok: false, problems, file: REPO_CONFIG_PATH };
  }

  /** Reads the text of each configuration file so that problems get their line. */
  private async readDocuments(octokit: ProbotOctokit, files: readonly ConfigFileRef[]) {
    const documents = [];
    for (const file of files) {
      const text = await this.readRaw(octokit, file);
      const parsed = parseYamlText(text ?? "");
      if (parsed.ok) documents.push({ file, document: parsed.document });
    }
    return documents;
  }

  private async readRaw(octokit: ProbotOctokit, file: ConfigFileRef): Promise<string | undefined> {
    this.apiCalls += 1;
    try {
      const response = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: file.owner,
        repo: file.repo,
        path: file.path,
        mediaType: { format: "raw" },
      });
      const data: unknown = response.data;
      // Octokit gives text for text/* answers, an ArrayBuffer for other raw media types.
      if (typeof data === "string") return data;
      if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
      return undefined;
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The plugin's own errors carry no line: read the file that failed and parse it ourselves. */
  private async describePluginError(octokit: ProbotOctokit, owner: string, repo: string, error: Error): Promise<RepoConfigResult> {
    const message = error.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "");
    const failing = failingFile(message, owner, repo);
    const text = failing ? await this.readRaw(octokit, failing) : undefined;
    if (text !== undefined && failing) {
      const parsed = parseYamlText(text);
      const source = sourceLabel(failing, owner, repo);
      if (!parsed.ok) return { ok: false, problems: parsed.problems.map((problem) => ({ ...problem, ...(source ? { source } : {}) })), file: REPO_CONFIG_PATH };
    }
    const problem: RepoConfigProblem = { message, path: /_extends/.test(message) ? "_extends" : "" };
    return { ok: false, problems: [problem], file: REPO_CONFIG_PATH };
  }
}

function cacheKey(owner: string, repo: string): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}`;
}

function describeFile(file: ConfigFileRef & { config: unknown }): string {
  return `${file.owner}/${file.repo}:${file.path}${file.config === null ? " (absent)" : ""}`;
}

/** undefined for the repository's own file, else "owner/repo:path". */
function sourceLabel(file: ConfigFileRef, owner: string, repo: string): string | undefined {
  if (file.owner.toLowerCase() === owner.toLowerCase() && file.repo.toLowerCase() === repo.toLowerCase() && file.path === REPO_CONFIG_PATH) {
    return undefined;
  }
  return `${file.owner}/${file.repo}:${file.path}`;
}

/** The plugin names the file in its message by its API URL (".../repos/o/r/contents/p"). */
function failingFile(message: string, owner: string, repo: string): ConfigFileRef | undefined {
  const match = /\/repos\/([^/\s]+)\/([^/\s]+)\/contents\/(\S+?)(?:[?\s)]|$)/.exec(message);
  if (!match) return { owner, repo, path: REPO_CONFIG_PATH };
  return { owner: match[1]!, repo: match[2]!, path: decodeURIComponent(match[3]!) };
}
