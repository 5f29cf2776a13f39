// The OpenAPI 3.1 document, derived from the Router's route table: a route
// added to the router is in the document, with its scope turned into a
// security requirement and the 401/403 answers the server gives. Routes
// carry their own fragments (parameters, requestBody, responses), mostly
// generated from the zod schemas that validate them.
import type { Route } from "./router.js";

export interface OpenApiOptions {
  version: string;
  /** Routes served outside the router (the webhook intake), documented the same way. */
  extraRoutes?: Route[];
}

type Operation = Record<string, unknown>;

const errorBody = {
  type: "object",
  properties: { error: { type: "string" }, details: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } } } },
  required: ["error"],
};

/** "/api/tokens/:id" -> "/api/tokens/{id}" */
export function openApiPath(path: string): string {
  return path.replace(/\/$/, "").replace(/:(\w+)/g, "{$1}") || "/";
}

export function buildOpenApiDocument(routes: readonly Route[], options: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of [...routes, ...(options.extraRoutes ?? [])]) {
    const path = openApiPath(route.path);
    const fragment = route.openapi ?? {};
    const responses = { ...((fragment.responses as Record<string, unknown> | undefined) ?? { "200": { description: "OK" } }) };
    if (route.scope) {
      responses["401"] ??= { description: "No bearer token, or an unknown or revoked one (WWW-Authenticate: Bearer)", content: { "application/json": { schema: errorBody } } };
      responses["403"] ??= { description: `The token lacks the "${route.scope}" scope`, content: { "application/json": { schema: errorBody } } };
    }
    const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map((match) => ({ name: match[1], in: "path", required: true, schema: { type: "string" } }));
    const operation: Operation = {
      operationId: operationId(route),
      summary: route.summary,
      ...fragment,
      ...(pathParameters.length > 0 ? { parameters: [...pathParameters, ...((fragment.parameters as unknown[] | undefined) ?? [])] } : {}),
      responses,
      security: route.scope ? [{ bearerAuth: [route.scope] }] : [],
      ...(route.scope ? { "x-required-scope": route.scope } : {}),
    };
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "iact-bot API",
      version: options.version,
      description:
        "DORA metrics of the IACT platform and the team's metric records. Authenticate with `Authorization: Bearer <token>`; " +
        "make tokens with `iact-bot token create --name NAME --scope read|write` (write includes read). See docs/api.md.",
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A token from `iact-bot token create`; scopes: read, write (write includes read)" },
      },
      schemas: { Error: errorBody },
    },
    paths,
  };
}

function operationId(route: Route): string {
  const words = route.path.split(/[/:_.-]+/).filter((word) => word !== "" && word !== "api");
  return [route.method.toLowerCase(), ...words.map((word) => word[0]!.toUpperCase() + word.slice(1))].join("");
}
