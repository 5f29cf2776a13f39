// The route table: path parameters, an optional trailing slash, HEAD served
// by GET, and 404/405 answers that say what exists.
import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { Router, type Route } from "../../src/http/router.js";

function route(method: Route["method"], path: string): Route {
  return { method, path, scope: null, summary: `${method} ${path}`, handler: () => Promise.resolve({ status: 204, body: null }) };
}

const router = new Router().add(route("GET", "/api/tokens/:id"), route("DELETE", "/api/tokens/:id"), route("POST", "/api/dora/metrics/create/"));

function refusal(method: string, path: string): HttpError {
  try {
    router.match(method, path);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`${method} ${path} matched`);
}

describe("Router", () => {
  it("matches a parameter, decoded, and serves HEAD with the GET route", () => {
    expect(router.match("GET", "/api/tokens/a%20b").params).toEqual({ id: "a b" });
    expect(router.match("HEAD", "/api/tokens/7").route.summary).toBe("GET /api/tokens/:id");
    expect(router.match("DELETE", "/api/tokens/7").route.method).toBe("DELETE");
  });

  it("takes a path with or without its trailing slash", () => {
    expect(router.match("POST", "/api/dora/metrics/create").route.method).toBe("POST");
    expect(router.match("POST", "/api/dora/metrics/create/").route.method).toBe("POST");
  });

  it("answers 405 with the allowed methods for a known path, 404 for an unknown one", () => {
    expect(refusal("PUT", "/api/tokens/7")).toMatchObject({ status: 405, headers: { allow: "GET, DELETE" } });
    expect(refusal("GET", "/api/tokens/7/extra")).toMatchObject({ status: 404 });
    expect(refusal("GET", "/api/dora/metrics.create")).toMatchObject({ status: 404 });
  });

  it("lists its routes in the order they were added (the OpenAPI document follows it)", () => {
    expect(router.routes().map((entry) => entry.summary)).toEqual(["GET /api/tokens/:id", "DELETE /api/tokens/:id", "POST /api/dora/metrics/create/"]);
  });
});
