// Counts GitHub API calls by endpoint ("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")
// so that a check run can log what it cost and the benchmark can report it.
export class ApiCallCounter {
  private readonly counts = new Map<string, number>();

  add(endpoint: string, calls = 1): void {
    if (calls <= 0) return;
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + calls);
  }

  get total(): number {
    let sum = 0;
    for (const calls of this.counts.values()) sum += calls;
    return sum;
  }

  count(endpoint: string): number {
    return this.counts.get(endpoint) ?? 0;
  }

  /** Endpoint -> calls, sorted by endpoint, for a log line. */
  byEndpoint(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

export const TREE_ENDPOINT = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
export const BLOB_ENDPOINT = "GET /repos/{owner}/{repo}/git/blobs/{file_sha}";
export const ARCHIVE_ENDPOINT = "GET /repos/{owner}/{repo}/tarball/{ref}";
export const CHECK_RUN_CREATE_ENDPOINT = "POST /repos/{owner}/{repo}/check-runs";
export const CHECK_RUN_LIST_ENDPOINT = "GET /repos/{owner}/{repo}/commits/{ref}/check-runs";
export const CHECK_RUN_UPDATE_ENDPOINT = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";
export const CONFIG_ENDPOINT = "GET /repos/{owner}/{repo}/contents/{path}";
