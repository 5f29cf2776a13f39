// API authentication: bearer tokens made by `iact-bot token create`, stored
// hashed, revocable; 401 without a valid token, 403 with the wrong scope.
import { describe, expect, it } from "vitest";
import { ApiTokens, hashToken } from "../../../src/http/auth/api-tokens.js";
import type { RunningService } from "../../../src/service.js";
import { cli, CLI_TEST_TIMEOUT_MS } from "../../support/cli.js";
import { serviceForAllTests } from "../../support/service.js";
import { call, metricRecord } from "../api-client.js";

describe("API authentication", () => {
  let service: RunningService;
  let tokens: ApiTokens;

  serviceForAllTests((started) => {
    service = started;
    tokens = new ApiTokens(started.prisma);
  });

  const protectedRoutes = [
    ["GET", "/api/dora/metrics", undefined],
    ["GET", "/api/dora/evidence?figure=lead_time", undefined],
    ["POST", "/api/dora/metrics", metricRecord()],
    ["POST", "/api/dora/metrics/create/", metricRecord()],
  ] as const;

  it.each(protectedRoutes)("%s %s answers 401 with WWW-Authenticate without a token", async (method, path, body) => {
    const answer = await call(service.url, method, path, body === undefined ? {} : { body });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="iact-bot"');
    expect((answer.body as { error: string }).error).toMatch(/iact-bot token create/);
  });

  it.each(protectedRoutes)("%s %s answers 401 invalid_token for an unknown token", async (method, path, body) => {
    const answer = await call(service.url, method, path, { token: "iact_not-a-real-token", ...(body === undefined ? {} : { body }) });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="iact-bot", error="invalid_token"');
  });

  it("refuses a malformed Authorization header with 401", async () => {
    const response = await fetch(new URL("/api/dora/metrics", service.url), { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("refuses a revoked token with 401 and accepts it before", async () => {
    const created = await tokens.create("soon-revoked", "read");
    expect((await call(service.url, "GET", "/api/dora/metrics", { token: created.token })).status).toBe(200);
    expect(await tokens.revoke("soon-revoked")).toBe(true);
    const answer = await call(service.url, "GET", "/api/dora/metrics", { token: created.token });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses an expired token with 401 saying when it expired, and accepts it until then", async () => {
    const live = await tokens.create("still-good", "read", null, "cli", new Date(Date.now() + 60_000));
    expect((await call(service.url, "GET", "/api/dora/metrics", { token: live.token })).status).toBe(200);
    const expired = await tokens.create("too-old", "read", null, "cli", new Date(Date.now() - 1));
    const answer = await call(service.url, "GET", "/api/dora/metrics", { token: expired.token });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((answer.body as { error: string }).error).toMatch(/^Token expired at \d{4}-\d{2}-\d{2}T/);
  });

  it.each([["/api/dora/metrics"], ["/api/dora/metrics/create/"]])("answers 403 to a read token on POST %s and stores nothing", async (path) => {
    const { token } = await tokens.create("reader", "read");
    const answer = await call(service.url, "POST", path, { token, body: metricRecord() });
    expect(answer.status).toBe(403);
    expect((answer.body as { error: string }).error).toMatch(/"write" scope/);
    expect(await service.prisma.teamMetric.count()).toBe(0);
  });

  it("lets a read token GET and a write token GET and POST", async () => {
    const reader = await tokens.create("reader", "read");
    const writer = await tokens.create("writer", "write");
    expect((await call(service.url, "GET", "/api/dora/metrics", { token: reader.token })).status).toBe(200);
    expect((await call(service.url, "GET", "/api/dora/metrics", { token: writer.token })).status).toBe(200);
    expect((await call(service.url, "POST", "/api/dora/metrics", { token: writer.token, body: metricRecord() })).status).toBe(201);
  });

  it("authenticates before validating: a bad body without a token is 401, not 400", async () => {
    expect((await call(service.url, "POST", "/api/dora/metrics", { body: "{not json" })).status).toBe(401);
  });

  it("keeps public routes public", async () => {
    for (const path of ["/health", "/api/openapi.json"]) expect((await call(service.url, "GET", path)).status).toBe(200);
  });

  it("stores only the token's SHA-256, never the token", async () => {
    const created = await tokens.create("hashed", "write");
    const row = await service.prisma.apiToken.findUniqueOrThrow({ where: { name: "hashed" } });
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
  });

  it("through the real CLI: `token create` prints a working token once, `token revoke` kills it", async () => {
    const created = await cli("token", "create", "--name", "cli-writer", "--scope", "write");
    const token = created.stdout.trim();
    expect(token).toMatch(/^iact_[\w-]{43}$/);
    expect(created.stderr).toMatch(/not shown again/);

    expect((await call(service.url, "POST", "/api/dora/metrics", { token, body: metricRecord({ cycle_id: "via-cli" }) })).status).toBe(201);

    const listed = await cli("token", "list");
    expect(listed.stdout).toMatch(/cli-writer\twrite\tiact_/);
    expect(listed.stdout).not.toContain(token);

    const revoked = await cli("token", "revoke", "--name", "cli-writer");
    expect(revoked.stdout).toMatch(/revoked/);
    const after = await call(service.url, "GET", "/api/dora/metrics", { token });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain("invalid_token");
  }, CLI_TEST_TIMEOUT_MS);

  it("through the real CLI: a bad scope or expiry is refused with exit code 1", async () => {
    expect(await cli("token", "create", "--name", "x", "--scope", "admin")).toMatchObject({ code: 1, stderr: expect.stringMatching(/read or write/) });
    expect(await cli("token", "create", "--name", "x", "--expires-in", "0")).toMatchObject({ code: 1, stderr: expect.stringMatching(/--expires-in must be a whole number of days from 1 to 3650, not "0"/) });
  }, CLI_TEST_TIMEOUT_MS);

  it("through the real CLI: `token create --expires-in` lists its end; `cleanup --dry-run` names the dead tokens, `cleanup` removes them", async () => {
    const created = await cli("token", "create", "--name", "quarterly", "--expires-in", "90");
    expect(created.stderr).toMatch(/until \d{4}-\d{2}-\d{2}T/);
    expect((await cli("token", "list")).stdout).toMatch(/quarterly\tread\t.*\tactive until \d{4}-/);
    await tokens.create("gone", "read");
    await tokens.revoke("gone");
    const dry = await cli("cleanup", "--dry-run");
    expect(dry.stdout).toContain("would remove 1 expired or revoked API tokens: gone");
    expect(await service.prisma.apiToken.count({ where: { name: "gone" } })).toBe(1);
    expect((await cli("cleanup")).stdout).toContain("removed 1 expired or revoked API tokens: gone");
    expect((await service.prisma.apiToken.findMany({ select: { name: true } })).map((row) => row.name)).toEqual(["quarterly"]);
  }, CLI_TEST_TIMEOUT_MS);
});
