// Octokit's RequestError (and any fetch-style error) carries the HTTP status
// as `status`. One typed reader instead of a cast at every catch, so a caller
// can tell "GitHub answered 404" from "the code threw" without guessing.
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}
