// A small router for the JSON API. Routes are data (method, path pattern,
// required scope, handler) so the OpenAPI document and the auth layer can be
// derived from the same table the server dispatches on.
import type { IncomingMessage } from "node:http";
import type { Principal, Scope } from "./auth/principal.js";
import { HttpError } from "./http-error.js";

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** The authenticated caller; undefined on public routes. */
  principal?: Principal;
  /** Reads and parses the JSON body (size-limited); throws HttpError 400/413. */
  json(): Promise<unknown>;
  raw: IncomingMessage;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** e.g. "/api/dora/metrics" or "/api/tokens/:id"; a trailing slash is optional. */
  path: string;
  /** null: public (health). Otherwise the token scope required. */
  scope: Scope | null;
  /**
   * True when the handler itself limits a token restricted to repositories
   * to them (assertRepoReadable). Otherwise the server refuses such tokens
   * with 403, so a route that forgets about restrictions fails closed.
   */
  acceptsRestrictedTokens?: boolean;
  summary: string;
  handler(request: ApiRequest): Promise<ApiResponse>;
  /** OpenAPI fragments (parameters, requestBody, responses) for /api/openapi.json. */
  openapi?: Record<string, unknown>;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path
        .replace(/\/$/, "")
        .split("/")
        .map((segment) => {
          if (segment.startsWith(":")) {
            names.push(segment.slice(1));
            return "([^/]+)";
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      this.compiled.push({ route, names, pattern: new RegExp(`^${source}/?$`) });
    }
    return this;
  }

  routes(): Route[] {
    return this.compiled.map((entry) => entry.route);
  }

  /** The route for a request, or an HttpError 404/405. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const { route, pattern, names } of this.compiled) {
      const match = pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? "");
      });
      return { route, params };
    }
    if (pathMatched) {
      const allowed = this.compiled.filter((entry) => entry.pattern.test(path)).map((entry) => entry.route.method);
      throw new HttpError(405, `Method ${method} is not allowed on ${path}`, undefined, { allow: [...new Set(allowed)].join(", ") });
    }
    throw new HttpError(404, `No route for ${method} ${path}`);
  }
}
