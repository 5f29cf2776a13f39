// GitHub's Actions artifacts API faked with nock, in the shapes of
// @octokit/openapi-types: a run's artifact list, each artifact's zip
// endpoint answering 302 to a storage host (as GitHub does), the storage
// serving the bytes, and a pull request's files list with their patches.
import nock from "nock";
import type { components } from "@octokit/openapi-types";
import { API } from "./fake-checks-api.js";

export const ARTIFACT_STORAGE = "https://productionresultssa0.blob.core.windows.net";

type Artifact = components["schemas"]["artifact"];
type PullRequestFile = components["schemas"]["diff-entry"];

export interface FakeArtifact {
  name: string;
  /** The zip served from storage; omit for an artifact never downloaded (expired, too large, or not matching). */
  zip?: Uint8Array;
  /** Size GitHub lists (default: the zip's length). */
  sizeInBytes?: number;
  expired?: boolean;
  /** The zip endpoint's answer instead of the 302 (e.g. 410 for an artifact that expired after the list). */
  downloadStatus?: number;
}

export class FakeWorkflowArtifacts {
  /** Authorization headers the storage host received (must be none: the token stays with GitHub). */
  readonly storageAuthorization: Array<string | undefined> = [];
  readonly downloads: string[] = [];

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly runId: number,
  ) {}

  artifacts(list: readonly FakeArtifact[]): this {
    const artifacts: Artifact[] = list.map((artifact, index) => {
      const id = 7000 + index;
      return {
        id,
        node_id: `MDg6QXJ0aWZhY3Q${id}`,
        name: artifact.name,
        size_in_bytes: artifact.sizeInBytes ?? artifact.zip?.byteLength ?? 0,
        url: `${API}/repos/${this.owner}/${this.repo}/actions/artifacts/${id}`,
        archive_download_url: `${API}/repos/${this.owner}/${this.repo}/actions/artifacts/${id}/zip`,
        expired: artifact.expired ?? false,
        created_at: "2026-11-28T10:00:00Z",
        expires_at: "2027-02-26T10:00:00Z",
        updated_at: "2026-11-28T10:00:00Z",
        workflow_run: { id: this.runId, head_sha: "" },
      };
    });
    nock(API).get(`/repos/${this.owner}/${this.repo}/actions/runs/${this.runId}/artifacts`).query(true).reply(200, { total_count: artifacts.length, artifacts });
    for (const [index, artifact] of list.entries()) {
      const id = artifacts[index]!.id;
      if (artifact.downloadStatus !== undefined) {
        nock(API).get(`/repos/${this.owner}/${this.repo}/actions/artifacts/${id}/zip`).reply(artifact.downloadStatus, { message: "Artifact has expired", documentation_url: "https://docs.github.com/rest/actions/artifacts#download-an-artifact" });
        continue;
      }
      if (!artifact.zip) continue;
      const storagePath = `/actions-results/${id}/artifact.zip`;
      nock(API)
        .get(`/repos/${this.owner}/${this.repo}/actions/artifacts/${id}/zip`)
        .reply(302, "", { location: `${ARTIFACT_STORAGE}${storagePath}?sig=signed` });
      const zip = artifact.zip;
      const { storageAuthorization, downloads } = this;
      nock(ARTIFACT_STORAGE)
        .get(storagePath)
        .query(true)
        .reply(function serve(this: nock.ReplyFnContext) {
          storageAuthorization.push(this.req.headers.authorization as string | undefined);
          downloads.push(artifact.name);
          return [200, Buffer.from(zip), { "content-type": "application/zip" }];
        });
    }
    return this;
  }

  pullRequestFiles(number: number, files: ReadonlyArray<{ filename: string; patch?: string; status?: PullRequestFile["status"] }>): this {
    const entries: PullRequestFile[] = files.map((file, index) => ({
      sha: `${index}`.padStart(40, "0"),
      filename: file.filename,
      status: file.status ?? "modified",
      additions: file.patch?.split("\n").filter((line) => line.startsWith("+")).length ?? 0,
      deletions: 0,
      changes: file.patch?.split("\n").filter((line) => /^[+-]/.test(line)).length ?? 1,
      blob_url: `https://github.com/${this.owner}/${this.repo}/blob/x/${file.filename}`,
      raw_url: `https://github.com/${this.owner}/${this.repo}/raw/x/${file.filename}`,
      contents_url: `${API}/repos/${this.owner}/${this.repo}/contents/${file.filename}`,
      ...(file.patch !== undefined ? { patch: file.patch } : {}),
    }));
    nock(API).get(`/repos/${this.owner}/${this.repo}/pulls/${number}/files`).query(true).reply(200, entries);
    return this;
  }
}
