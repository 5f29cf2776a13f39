// GET /metrics: the Prometheus text exposition. On the main port it sits
// beside the API, optionally behind its own bearer token (METRICS_TOKEN,
// compared in constant time); with METRICS_PORT it gets a server of its own,
// so a private network can scrape it without exposing it on the public port.
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

export const METRICS_PATH = "/metrics";

export interface MetricsSource {
  exposition(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsEndpoint {
  /** Writes the whole answer: 200 with the metrics, 401, 405 or 500. */
  serve(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export function metricsEndpoint(source: MetricsSource, token: string | undefined, log: Pick<Logger, "error">): MetricsEndpoint {
  const expected = token === undefined ? undefined : digest(token);
  return {
    async serve(request, response) {
      const method = request.method ?? "GET";
      if (method !== "GET" && method !== "HEAD") {
        return answer(response, 405, "text/plain; charset=utf-8", `Use GET for ${METRICS_PATH}\n`, { allow: "GET, HEAD" });
      }
      if (expected && !bearerMatches(request.headers.authorization, expected)) {
        return answer(response, 401, "text/plain; charset=utf-8", "A valid METRICS_TOKEN is required: send Authorization: Bearer <token>\n", {
          "www-authenticate": 'Bearer realm="metrics"',
        });
      }
      try {
        const { contentType, body } = await source.exposition();
        answer(response, 200, contentType, method === "HEAD" ? "" : body);
      } catch (error) {
        log.error({ err: error }, "cannot render /metrics");
        answer(response, 500, "text/plain; charset=utf-8", "Cannot render the metrics; the details are in the server log\n");
      }
    },
  };
}

/** A server of its own for METRICS_PORT: /metrics and nothing else. */
export function createMetricsServer(endpoint: MetricsEndpoint): http.Server {
  return http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== METRICS_PATH) {
      answer(response, 404, "text/plain; charset=utf-8", `Only ${METRICS_PATH} is served on this port\n`);
      return;
    }
    void endpoint.serve(request, response);
  });
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1] ?? ""), expected);
}

function answer(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers });
  response.end(body);
}
