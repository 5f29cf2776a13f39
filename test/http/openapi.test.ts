// GET /api/openapi.json describes every route the server dispatches, and the
// documented response of GET /api/dora/metrics has exactly the keys a real
// response has (so clients written from the document find what they expect).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthRoutes } from "../../src/http/health-routes.js";
import { openApiPath } from "../../src/http/openapi.js";
import { Router } from "../../src/http/router.js";
import { DoraMeasurer } from "../../src/metrics/measure.js";
import { addApiRoutes } from "../../src/http/routes/index.js";
import type { RunningService } from "../../src/service.js";
import { truncateAllTables } from "../support/database.js";
import { startTestService } from "../support/service.js";
import { call, tokenFor } from "./api-client.js";

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  required?: string[];
}

/** Every key path a schema documents ("dora.lead_time_hours.p90"); records (additionalProperties) as "<name>". */
function documentedPaths(schema: JsonSchema, prefix = ""): string[] {
  const variants = schema.anyOf ?? [schema];
  const paths: string[] = [];
  for (const variant of variants) {
    for (const [key, property] of Object.entries(variant.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.push(path, ...documentedPaths(property, path));
    }
    if (typeof variant.additionalProperties === "object" && Object.keys(variant.additionalProperties).length > 0) {
      paths.push(`${prefix}.<name>`, ...documentedPaths(variant.additionalProperties, `${prefix}.<name>`));
    }
  }
  return [...new Set(paths)];
}

function actualPaths(value: unknown, prefix = "", recordKeys = new Set<string>()): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const name = recordKeys.has(prefix) ? "<name>" : key;
    const path = prefix ? `${prefix}.${name}` : name;
    paths.push(path, ...actualPaths(child, path, recordKeys));
  }
  return [...new Set(paths)];
}

describe("GET /api/openapi.json", () => {
  let service: RunningService;
  let document: { openapi: string; paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown>; "x-required-scope"?: string; requestBody?: unknown }>> };

  beforeAll(async () => {
    await truncateAllTables();
    service = await startTestService();
    const answer = await call(service.url, "GET", "/api/openapi.json");
    expect(answer.status).toBe(200);
    document = answer.body as typeof document;
  });
  afterAll(async () => {
    await service.stop();
  });

  it("is OpenAPI 3.1 and needs no token", () => {
    expect(document.openapi).toBe("3.1.0");
  });

  it("describes every route of the router, the webhook intake and itself, and nothing else", () => {
    const router = addApiRoutes(new Router().add(...healthRoutes({})), { prisma: service.prisma, measurer: new DoraMeasurer({ load: async () => ({ deployments: [], attempts: [], changes: [], pullRequests: [], incidents: [] }) }) });
    const expected = [...router.routes().map((route) => `${route.method} ${openApiPath(route.path)}`), "POST /api/github/webhooks"].sort();
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)).sort();
    expect(documented).toEqual(expected);
    for (const path of ["GET /health", "GET /ready", "GET /api/openapi.json", "GET /api/dora/metrics", "POST /api/dora/metrics", "POST /api/dora/metrics/create", "GET /api/dora/evidence"]) {
      expect(documented).toContain(path);
    }
  });

  it("states each route's scope and its 401/403 answers", () => {
    for (const route of addApiRoutes(new Router().add(...healthRoutes({})), { prisma: service.prisma, measurer: new DoraMeasurer({ load: async () => ({ deployments: [], attempts: [], changes: [], pullRequests: [], incidents: [] }) }) }).routes()) {
      const operation = document.paths[openApiPath(route.path)]![route.method.toLowerCase()]!;
      if (route.scope) {
        expect(operation.security).toEqual([{ bearerAuth: [route.scope] }]);
        expect(operation["x-required-scope"]).toBe(route.scope);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["401", "403"]));
      } else {
        expect(operation.security).toEqual([]);
      }
    }
  });

  it("documents the POST body with each field, and 201/400/409/413", () => {
    const operation = document.paths["/api/dora/metrics"]!.post!;
    const schema = (operation.requestBody as { content: { "application/json": { schema: JsonSchema } } }).content["application/json"].schema;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(["created_at", "cycle_id", "decision", "duration_seconds", "feature_id", "metadata", "phase_name"]);
    expect(schema.required?.sort()).toEqual(["cycle_id", "decision", "duration_seconds", "feature_id", "phase_name"]);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["201", "400", "409", "413"]));
  });

  it("documents the query parameters of the DORA reads, installation and benchmark included", () => {
    for (const path of ["/api/dora/metrics", "/api/dora/evidence"]) {
      const parameters = (document.paths[path]!.get as unknown as { parameters: Array<{ name: string; in: string; schema: { enum?: string[]; pattern?: string } }> }).parameters;
      expect(parameters.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(["days", "repo", "environment", "installation", "benchmark"]));
      expect(parameters.find((parameter) => parameter.name === "benchmark")!.schema.enum?.sort()).toEqual(["2021", "2023"]);
      expect(parameters.find((parameter) => parameter.name === "installation")!.schema.pattern).toBeDefined();
    }
  });

  it("documents exactly the keys of a real GET /api/dora/metrics response", async () => {
    const answer = await call(service.url, "GET", "/api/dora/metrics?days=30", { token: await tokenFor(service.prisma, "read") });
    expect(answer.status).toBe(200);
    const operation = document.paths["/api/dora/metrics"]!.get!;
    const schema = (operation.responses["200"] as { content: { "application/json": { schema: JsonSchema } } }).content["application/json"].schema;
    const documented = documentedPaths(schema);
    // No environments in an empty database: fill one in from the top-level report to compare its keys too.
    const body = answer.body as { dora: Record<string, unknown> & { environments: Record<string, unknown> } };
    const { scope: _scope, method: _method, as_of: _asOf, settings: _settings, environments: _environments, ...report } = body.dora;
    body.dora.environments = { production: report };
    const actual = actualPaths(body, "", new Set(["dora.environments"]));
    expect(actual.sort()).toEqual([...documented].sort());
    for (const key of [
      "period_days",
      "metrics.lead_time_hours",
      "metrics.deployment_frequency",
      "metrics.change_failure_rate",
      "metrics.mttr_hours",
      "total_cycles",
      "dora.deployment_frequency.deployments",
      "dora.deployment_frequency.deploy_days",
      "dora.lead_time_hours.median",
      "dora.lead_time_hours.p90",
      "dora.change_failure_rate",
      "dora.failed_deployment_attempts",
      "dora.time_to_restore_hours.median",
      "dora.rework_rate",
      "dora.classification",
      "dora.targets",
      "dora.method",
      "dora.as_of",
      "dora.environments.<name>.lead_time_hours.p90",
    ]) {
      expect(documented).toContain(key);
    }
  });
});
