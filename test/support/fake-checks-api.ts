// A fake of GitHub's API for one repository's checks, with nock: the
// installation token, .github/iact.yml, the commit's tree and blobs, and the
// Checks API, whose calls are recorded (and listed back per commit, with
// their external_id and status, as GitHub's list endpoint does).
import { createHash } from "node:crypto";
import nock from "nock";
import { TEST_APP_ID } from "./github-app.js";
import { exampleFor } from "./webhook-examples.js";

export const API = "https://api.github.com";
export const INSTALLATION = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };

export type Files = Record<string, string>;

export const SECONDARY_RATE_LIMIT_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

export const gitBlobSha = (text: string) => {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
};

function treeEntries(files: Files) {
  return Object.entries(files).map(([path, text]) => ({ path, mode: "100644", type: "blob", sha: gitBlobSha(text), size: text.length }));
}

export interface CheckRunCall {
  method: "POST" | "PATCH";
  id: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies as GitHub receives them
}

/** Fakes GitHub for one repository: token, config, tree, blobs and the Checks API (recorded). */
export class FakeGitHub {
  readonly checkRuns: CheckRunCall[] = [];
  readonly blobRequests: string[] = [];
  /** Run names whose creation GitHub refuses with a secondary rate limit. */
  readonly refuseCreating = new Set<string>();
  /** Runs another process created (a worker that was killed): listed by GitHub, not POSTed through this fake. */
  private readonly createdElsewhere: CheckRunCall[] = [];
  private nextId = 1000;

  constructor(
    readonly owner: string,
    readonly repo: string,
    /** Told of each recorded Checks API call as it happens (a child process reports them on stdout). */
    private readonly onCall: (call: CheckRunCall) => void = () => {},
  ) {
    nock(API)
      .persist()
      .get(new RegExp(`^/repos/${owner}/${repo}/commits/[0-9a-f]+/check-runs`))
      .reply(200, (uri) => {
        const sha = new URL(uri, API).pathname.split("/")[5];
        const runs = this.listedRuns().filter((run) => run.head_sha === sha);
        return { total_count: runs.length, check_runs: runs };
      });
    nock(API)
      .persist()
      .post(/^\/app\/installations\/\d+\/access_tokens$/)
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write", contents: "read" }, repository_selection: "all" });
    nock(API)
      .persist()
      .post(`/repos/${owner}/${repo}/check-runs`)
      .reply((_uri, body) => {
        const { name } = body as { name?: string };
        if (name && this.refuseCreating.has(name)) return [403, { message: SECONDARY_RATE_LIMIT_MESSAGE }, { "retry-after": "60" }];
        const id = this.nextId++;
        this.record({ method: "POST", id, body: body as Record<string, unknown> });
        return [201, { id }];
      })
      .patch(new RegExp(`^/repos/${owner}/${repo}/check-runs/\\d+$`))
      .reply(200, (uri, body) => {
        const id = Number(uri.split("/").pop());
        this.record({ method: "PATCH", id, body: body as Record<string, unknown> });
        return { id };
      });
  }

  private record(call: CheckRunCall): void {
    this.checkRuns.push(call);
    this.onCall(call);
  }

  /** A run created by another process, as GitHub lists it from now on. */
  adopt(run: CheckRunCall): this {
    this.createdElsewhere.push(run);
    return this;
  }

  /** Every run on GitHub as the list endpoint shows it: its create body, updated by each PATCH since. */
  private listedRuns() {
    const created = [...this.createdElsewhere, ...this.checkRuns.filter((call) => call.method === "POST")];
    return created.map((create) => {
      const updates = this.checkRuns.filter((call) => call.method === "PATCH" && call.id === create.id).map((call) => call.body);
      const run = Object.assign({}, create.body, ...updates) as Record<string, unknown>;
      return {
        id: create.id,
        name: run.name,
        head_sha: run.head_sha,
        external_id: run.external_id ?? null,
        status: run.status ?? "queued",
        conclusion: run.conclusion ?? null,
        app: { id: Number(TEST_APP_ID) },
      };
    });
  }

  /** .github/iact.yml absent from the repository and from the owner's .github repository. */
  noConfig(): this {
    nock(API).get(new RegExp(`^/repos/${this.owner}/${this.repo}/contents/`)).reply(404, { message: "Not Found" });
    nock(API).get(new RegExp(`^/repos/${this.owner}/\\.github/contents/`)).reply(404, { message: "Not Found" });
    return this;
  }

  config(text: string, times = 1): this {
    nock(API)
      .get(new RegExp(`^/repos/${this.owner}/${this.repo}/contents/\\.github(%2F|/)iact\\.yml`))
      .times(times)
      .reply(200, text, { "content-type": "text/plain; charset=utf-8" });
    return this;
  }

  /** The commit's tree (one recursive call) and, unless cached, each blob once. */
  /** `blobs`: false when every blob is cached, or the paths the rules are expected to read. */
  tree(sha: string, files: Files, options: { blobs?: boolean | string[] } = {}): this {
    nock(API).get(`/repos/${this.owner}/${this.repo}/git/trees/${sha}`).query({ recursive: "true" }).reply(200, { sha, truncated: false, tree: treeEntries(files) });
    return this.blobs(files, options.blobs);
  }

  /**
   * A tree GitHub truncates: the recursive listing of `sha` answers
   * `truncated: true` with the root's files only, so the sub-trees must be
   * walked: the root level (non-recursive), then each folder recursively; the
   * folders in `truncatedFolders` come back truncated too and are listed one
   * level at a time. Files are at most one folder deep.
   */
  truncatedTree(sha: string, files: Files, options: { truncatedFolders?: string[]; blobs?: boolean | string[] } = {}): this {
    const base = `/repos/${this.owner}/${this.repo}/git/trees`;
    const rootFiles = Object.fromEntries(Object.entries(files).filter(([path]) => !path.includes("/")));
    const folders = new Map<string, Files>();
    for (const [path, text] of Object.entries(files)) {
      const [folder, ...rest] = path.split("/");
      if (rest.length === 0) continue;
      if (rest.length > 1) throw new Error(`truncatedTree: ${path} is more than one folder deep`);
      folders.set(folder!, { ...folders.get(folder!), [rest.join("/")]: text });
    }
    const folderSha = (folder: string) => gitBlobSha(`tree ${sha} ${folder}`);
    const folderEntries = [...folders.keys()].map((folder) => ({ path: folder, mode: "040000", type: "tree", sha: folderSha(folder) }));
    nock(API).get(`${base}/${sha}`).query({ recursive: "true" }).reply(200, { sha, truncated: true, tree: treeEntries(rootFiles) });
    nock(API).get(`${base}/${sha}`).reply(200, { sha, truncated: false, tree: [...treeEntries(rootFiles), ...folderEntries] });
    for (const [folder, folderFiles] of folders) {
      const treeSha = folderSha(folder);
      if (options.truncatedFolders?.includes(folder)) {
        nock(API).get(`${base}/${treeSha}`).query({ recursive: "true" }).reply(200, { sha: treeSha, truncated: true, tree: [] });
        nock(API).get(`${base}/${treeSha}`).reply(200, { sha: treeSha, truncated: false, tree: treeEntries(folderFiles) });
      } else {
        nock(API).get(`${base}/${treeSha}`).query({ recursive: "true" }).reply(200, { sha: treeSha, truncated: false, tree: treeEntries(folderFiles) });
      }
    }
    return this.blobs(files, options.blobs);
  }

  private blobs(files: Files, which: boolean | string[] | undefined): this {
    if (which === false) return this;
    const read = Array.isArray(which) ? which.map((path) => files[path]!) : Object.values(files);
    for (const text of new Set(read)) {
      const blobSha = gitBlobSha(text);
      nock(API)
        .get(`/repos/${this.owner}/${this.repo}/git/blobs/${blobSha}`)
        .reply(200, () => {
          this.blobRequests.push(blobSha);
          return { sha: blobSha, content: Buffer.from(text).toString("base64"), encoding: "base64", size: text.length };
        });
    }
    return this;
  }

  /** Mocks not used; the Checks API interceptors are persistent and checked through `checkRuns`. */
  pending(): string[] {
    return nock.pendingMocks().filter((mock) => !mock.includes("check-runs"));
  }

  runsNamed(name: string): CheckRunCall[] {
    const created = this.checkRuns.filter((call) => call.method === "POST" && call.body.name === name).map((call) => call.id);
    return this.checkRuns.filter((call) => created.includes(call.id));
  }

  completed(name: string): CheckRunCall | undefined {
    return this.runsNamed(name).find((call) => call.body.status === "completed");
  }

  /** Every annotation posted to the runs named `name`, in the order sent. */
  annotations(name: string): Array<{ path: string; annotation_level: string; title: string }> {
    return this.runsNamed(name).flatMap((call) => call.body.output?.annotations ?? []);
  }

  /** Runs created in_progress that no PATCH completed. */
  leftInProgress(): number[] {
    const started = this.checkRuns.filter((call) => call.method === "POST" && call.body.status === "in_progress").map((call) => call.id);
    return started.filter((id) => !this.checkRuns.some((call) => call.method === "PATCH" && call.id === id && call.body.status === "completed"));
  }
}


/** GitHub's example pull_request.opened on Codertocat/Hello-World, at `headSha`, from installation 1. */
export function pullRequestOpened(headSha: string) {
  const payload = exampleFor("pull_request", "opened");
  payload.pull_request.head.sha = headSha;
  (payload as { installation?: unknown }).installation = INSTALLATION;
  return payload;
}
