// The HTTP layer's error boundary, with the real server on a random port.
import type { AddressInfo } from "node:net";
import type http from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { Router } from "../../src/http/router.js";
import type { Scope } from "../../src/http/auth/principal.js";
import { createHttpServer } from "../../src/http/server.js";

describe("HTTP server", () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    const router = new Router().add(
      { method: "GET", path: "/api/boom", scope: null, summary: "throws later", handler: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error("database password is hunter2");
      } },
      { method: "POST", path: "/api/echo", scope: "write", summary: "echo", handler: async (request) => ({ status: 200, body: await request.json() }) },
      { method: "GET", path: "/api/items/:id", scope: "read", summary: "item", handler: async (request) => ({ status: 200, body: { id: request.params.id } }) },
    );
    server = createHttpServer({
      router,
      webhooks: { receive: async () => ({ status: 202, body: {} }) },
      auth: {
        authenticate: async (header) => {
          if (header === "Bearer reader") return { scopes: new Set<Scope>(["read"]), restriction: null };
          if (header === "Bearer writer") return { scopes: new Set<Scope>(["read", "write"]), restriction: null };
          throw new HttpError(401, "Invalid or revoked token");
        },
      },
      log: pino({ level: "silent" }),
      maxBodyBytes: 64,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await fetch(`${url}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ error: "No route for GET /nope" });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const response = await fetch(`${url}/api/echo`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("turns an async throw into a JSON 500 without leaking details, and keeps serving", async () => {
    const response = await fetch(`${url}/api/boom`);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string };
    expect(body.error).not.toContain("hunter2");
    expect((await fetch(`${url}/api/items/7`, { headers: { authorization: "Bearer reader" } })).status).toBe(200);
  });

  it("enforces the route's scope: 401 without a token, 403 with the wrong scope", async () => {
    expect((await fetch(`${url}/api/items/7`)).status).toBe(401);
    const forbidden = await fetch(`${url}/api/echo`, { method: "POST", headers: { authorization: "Bearer reader" }, body: "{}" });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: string }).error).toMatch(/write/);
  });

  it("decodes path parameters and accepts a trailing slash", async () => {
    const response = await fetch(`${url}/api/items/a%20b/`, { headers: { authorization: "Bearer reader" } });
    expect(await response.json()).toEqual({ id: "a b" });
  });

  it("reads a path starting with // as a path, not a host: an answer, not a hang", async () => {
    const response = await fetch(`${url}//?days=1`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "No route for GET //" });
  });

  it("answers a URL over Node's 16 KB of headers with a JSON 431 that says what to do", async () => {
    const response = await fetch(`${url}/api/items/7?q=${"y".repeat(70_000)}`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(431);
    expect(((await response.json()) as { error: string }).error).toMatch(/exceed 16 KB/);
  });

  it("answers 400 to malformed JSON and 413 to an oversized body", async () => {
    const headers = { authorization: "Bearer writer", "content-type": "application/json" };
    const malformed = await fetch(`${url}/api/echo`, { method: "POST", headers, body: "{oops" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/not valid JSON/);
    const oversized = await fetch(`${url}/api/echo`, { method: "POST", headers, body: JSON.stringify({ data: "x".repeat(100) }) });
    expect(oversized.status).toBe(413);
    const fine = await fetch(`${url}/api/echo`, { method: "POST", headers, body: '{"a":1}' });
    expect(await fine.json()).toEqual({ a: 1 });
  });
});
