// One error type for every HTTP route; the server's error boundary maps it
// to a JSON answer. Anything else thrown by a route becomes a 500 whose
// details stay in the log, never in the response.

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    /** Machine-readable details, e.g. one entry per invalid field. */
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}
