// GET /api/openapi.json (public): the document of every route, built once
// from the router's table when first asked.
import { buildOpenApiDocument } from "../openapi.js";
import type { Route, Router } from "../router.js";

export const WEBHOOK_ROUTE_DOC: Route = {
  method: "POST",
  path: "/api/github/webhooks",
  scope: null,
  summary: "GitHub webhook intake: verifies X-Hub-Signature-256 with the webhook secret and stores the delivery before answering",
  openapi: {
    description:
      "Called by GitHub, not by API clients. The delivery is stored durably (MySQL) and answered 202; a worker processes it. " +
      "Authentication is the HMAC signature, not a bearer token.",
    parameters: [
      { name: "X-GitHub-Event", in: "header", required: true, schema: { type: "string" } },
      { name: "X-GitHub-Delivery", in: "header", required: true, schema: { type: "string" } },
      { name: "X-Hub-Signature-256", in: "header", required: true, schema: { type: "string" } },
    ],
    requestBody: { required: true, content: { "application/json": { schema: { type: "object", description: "A GitHub webhook payload" } } } },
    responses: {
      "202": { description: "Stored; it will be processed", content: { "application/json": { schema: { type: "object", properties: { status: { type: "string" }, delivery: { type: "string" } } } } } },
      "200": { description: "A delivery already stored (GitHub redelivery): nothing to do" },
      "400": { description: "Missing GitHub headers or a body that is not JSON" },
      "401": { description: "Missing or wrong signature" },
      "413": { description: "Body over the size limit" },
      "503": { description: "The database is unavailable; GitHub should redeliver" },
    },
  },
  handler: () => Promise.reject(new Error("served by the webhook intake, not the router")),
};

export function openApiRoute(router: Router, version: string): Route {
  let document: Record<string, unknown> | undefined;
  return {
    method: "GET",
    path: "/api/openapi.json",
    scope: null,
    summary: "This OpenAPI 3.1 document",
    openapi: { responses: { "200": { description: "The OpenAPI document", content: { "application/json": { schema: { type: "object" } } } } } },
    handler: async () => {
      document ??= buildOpenApiDocument(router.routes(), { version, extraRoutes: [WEBHOOK_ROUTE_DOC] });
      return { status: 200, body: document };
    },
  };
}
