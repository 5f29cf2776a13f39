// A workflow run's artifacts over REST: the list
// (GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts), and one
// artifact's zip (GET …/actions/artifacts/{artifact_id}/zip), which GitHub
// answers with a 302 to short-lived storage that fetch follows (without our
// token: fetch drops Authorization on a redirect to another origin). The
// zip is read as a stream and dropped as soon as it passes the size limit,
// whatever size the list declared. Needs the `actions: read` permission.
import type { ProbotOctokit } from "probot";
import { httpStatusOf } from "../lib/http-status.js";
import { formatBytes } from "../checks/coverage/artifact-zip.js";

export interface RunArtifact {
  id: number;
  name: string;
  /** Size of the zip as GitHub lists it. */
  sizeInBytes: number;
  expired: boolean;
  expiresAt: string | null;
}

/** Artifacts a run may have; GitHub caps uploads per job far below this. */
const MAX_LISTED_ARTIFACTS = 1_000;

export async function listRunArtifacts(octokit: ProbotOctokit, owner: string, repo: string, runId: number): Promise<RunArtifact[]> {
  const artifacts: RunArtifact[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.actions.listWorkflowRunArtifacts, { owner, repo, run_id: runId, per_page: 100 })) {
    for (const artifact of page.data) {
      artifacts.push({ id: artifact.id, name: artifact.name, sizeInBytes: artifact.size_in_bytes, expired: artifact.expired, expiresAt: artifact.expires_at ?? null });
    }
    if (artifacts.length >= MAX_LISTED_ARTIFACTS) break;
  }
  return artifacts;
}

export type ArtifactDownload = { ok: true; zip: Uint8Array } | { ok: false; code: "expired" | "too-large" | "gone"; reason: string };

/**
 * The artifact's zip, at most `maxBytes`. GitHub's 410 (expired) and 404
 * (deleted since the list) are outcomes to report; any other error is thrown
 * so that the delivery is retried.
 */
export async function downloadArtifact(octokit: ProbotOctokit, owner: string, repo: string, artifact: RunArtifact, maxBytes: number): Promise<ArtifactDownload> {
  let response;
  try {
    response = await octokit.request("GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}", {
      owner,
      repo,
      artifact_id: artifact.id,
      archive_format: "zip",
      // The body as a stream: it is counted as it arrives, never buffered past the limit.
      request: { parseSuccessResponseBody: false },
    });
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === 410) return { ok: false, code: "expired", reason: `artifact ${artifact.name} has expired (GitHub answered 410 Gone); run the workflow again to upload it anew` };
    if (status === 404) return { ok: false, code: "gone", reason: `artifact ${artifact.name} was deleted before iact-bot could download it` };
    throw error;
  }
  const body = response.data as unknown as ReadableStream<Uint8Array> | null;
  if (!body) return { ok: true, zip: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      return { ok: false, code: "too-large", reason: `artifact ${artifact.name} is larger than the limit of ${formatBytes(maxBytes)} (checks.coverage.maxArtifactBytes)` };
    }
    chunks.push(value);
  }
  return { ok: true, zip: Buffer.concat(chunks, received) };
}
