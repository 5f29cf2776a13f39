// The HTTP server: the webhook intake at Probot's default path, then the JSON
// routes. One error boundary per request: whatever a route throws becomes a
// JSON answer (HttpError -> its status, anything else -> 500 and a log line)
// and the process keeps serving.
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { withDeliveryContext } from "../logs/delivery-context.js";
import type { DeliveryLogFields } from "../logs/delivery-context.js";
import { parseJson, readBody } from "./body.js";
import { HttpError } from "./http-error.js";
import type { Authenticator, Principal } from "./auth/principal.js";
import { describeRestriction } from "./auth/repo-access.js";
import { METRICS_PATH } from "./metrics-endpoint.js";
import type { MetricsEndpoint } from "./metrics-endpoint.js";
import type { ApiRequest, Router } from "./router.js";
import { callerRequestId, githubDeliveryId } from "./request-id.js";

const isDashboardPath = (path: string) => path === "/dashboard" || path.startsWith("/dashboard/");

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface WebhookReceiver {
  receive(request: IncomingMessage): Promise<{ status: number; body: unknown }>;
}

export interface ServerDependencies {
  router: Router;
  webhooks: WebhookReceiver;
  auth: Authenticator;
  log: Logger;
  maxBodyBytes: number;
  /** GET /metrics on this port; undefined when it is not served here (METRICS_PORT). */
  metrics?: MetricsEndpoint;
  /** The dashboard's pages under /dashboard (src/http/dashboard/); undefined: not served. */
  dashboard?: { serve(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> };
  /** Told of every answered request, with the route's template (never the concrete path). */
  observeRequest?: (request: { method: string; route: string; status: number; seconds: number }) => void;
}

export function createHttpServer(dependencies: ServerDependencies): http.Server {
  const server = http.createServer((request, response) => {
    const { observeRequest } = dependencies;
    if (observeRequest) {
      const started = performance.now();
      response.once("finish", () => {
        const method = request.method ?? "GET";
        observeRequest({ method, route: routeTemplate(method, request.url, dependencies), status: response.statusCode, seconds: (performance.now() - started) / 1000 });
      });
    }
    // Every answer names its request id (the caller's when well-formed; a
    // webhook's is its delivery id), and every line logged while answering carries it.
    const fields: DeliveryLogFields = { request_id: callerRequestId(request.headers) ?? githubDeliveryId(request.headers) ?? randomUUID() };
    response.setHeader("x-request-id", fields.request_id);
    void withDeliveryContext(fields, () => handle(request, response, dependencies, fields));
  });
  // Keep-alive longer than common load balancers' idle timeouts.
  server.keepAliveTimeout = 65_000;
  server.on("clientError", answerUnparsableRequest);
  return server;
}

/**
 * A request Node's parser refuses before any route sees it (headers or URL
 * over Node's 16 KB, malformed HTTP) gets a JSON answer with a message, like
 * every other error, instead of Node's bare status line; then the
 * connection closes, since the parser cannot tell where the next request starts.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request's headers and URL exceed 16 KB; shorten the query string"]
      : [400, "Bad Request", `Malformed HTTP request (${error.code ?? "parse error"})`];
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

async function handle(request: IncomingMessage, response: ServerResponse, dependencies: ServerDependencies, logFields: DeliveryLogFields): Promise<void> {
  const { log } = dependencies;
  const method = request.method ?? "GET";
  const url = requestUrl(request.url ?? "/");
  if (!url) {
    send(response, 400, { error: "Malformed request URL" });
    return;
  }
  try {
    if (dependencies.metrics && url.pathname === METRICS_PATH) {
      await dependencies.metrics.serve(request, response);
      return;
    }
    if (dependencies.dashboard && isDashboardPath(url.pathname)) {
      await dependencies.dashboard.serve(request, response, url);
      return;
    }
    if (url.pathname === WEBHOOK_PATH || url.pathname === `${WEBHOOK_PATH}/`) {
      if (method !== "POST") throw new HttpError(405, `Use POST for ${WEBHOOK_PATH}`, undefined, { allow: "POST" });
      const answer = await dependencies.webhooks.receive(request);
      send(response, answer.status, answer.body);
      return;
    }
    const { route, params } = dependencies.router.match(method, url.pathname);
    let principal: Principal | undefined;
    if (route.scope) {
      principal = await dependencies.auth.authenticate(request.headers.authorization);
      if (principal.actor) logFields.actor = principal.actor;
      if (!principal.scopes.has(route.scope)) {
        throw new HttpError(403, `This token lacks the "${route.scope}" scope required by ${route.method} ${route.path}`);
      }
      if (principal.restriction && !route.acceptsRestrictedTokens) {
        throw new HttpError(
          403,
          `This token is restricted to ${describeRestriction(principal.restriction)}; ${route.method} ${route.path} is not limited to a repository, so it needs an unrestricted token`,
        );
      }
    }
    let bodyPromise: Promise<unknown> | undefined;
    const apiRequest: ApiRequest = {
      method,
      path: url.pathname,
      params,
      query: url.searchParams,
      headers: request.headers,
      ...(principal ? { principal } : {}),
      raw: request,
      json: () => (bodyPromise ??= readBody(request, dependencies.maxBodyBytes).then(parseJson)),
    };
    const started = performance.now();
    const answer = await route.handler(apiRequest);
    send(response, answer.status, method === "HEAD" ? undefined : answer.body, answer.headers);
    // One line per authenticated call, carrying its request id and actor; public probes are polled too often to log.
    if (route.scope) log.info({ method, route: route.path, status: answer.status, ms: Math.round(performance.now() - started) }, "api request answered");
  } catch (error) {
    if (error instanceof HttpError) {
      if (error.status >= 500) log.error({ err: error, path: url.pathname }, "request failed");
      send(response, error.status, { error: error.message, ...(error.details !== undefined ? { details: error.details } : {}) }, error.headers);
      return;
    }
    log.error({ err: error, method, path: url.pathname }, "unhandled error in route");
    send(response, 500, { error: "Internal server error; the details are in the server log" });
  }
}

/** The path pattern a request matched, or "unmatched": a label that cannot take unbounded values. */
function routeTemplate(method: string, rawUrl: string | undefined, dependencies: ServerDependencies): string {
  const path = requestUrl(rawUrl ?? "/")?.pathname;
  if (path === undefined) return "unmatched";
  if (path === WEBHOOK_PATH || path === `${WEBHOOK_PATH}/`) return WEBHOOK_PATH;
  if (dependencies.metrics && path === METRICS_PATH) return METRICS_PATH;
  // One label for every page: page paths hold repository names.
  if (dependencies.dashboard && isDashboardPath(path)) return "/dashboard";
  try {
    return dependencies.router.match(method, path).route.path;
  } catch {
    return "unmatched";
  }
}

/**
 * The request's URL. A path is always read as a path, even one starting with
 * "//" (which URL resolution would take for a host); an absolute URL (a
 * proxy's form) is read as it is; anything else is undefined.
 */
function requestUrl(raw: string): URL | undefined {
  try {
    return raw.startsWith("/") ? new URL(`http://localhost${raw}`) : new URL(raw);
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const payload = body === undefined ? "" : JSON.stringify(body, jsonReplacer);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload), ...headers });
  response.end(payload);
}

/** BigInt ids (MySQL BIGINT) become numbers when safe, strings otherwise. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return value;
}
