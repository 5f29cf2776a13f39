// /api/dora/metrics: the team's metric records (TASK-005 of the plan) and the
// GitHub-derived DORA figures beside them.
//
//   POST /api/dora/metrics (and the plan's /api/dora/metrics/create/), write:
//     201 {id, cycle_id, created_at}; 400 one entry per bad field; 409
//     duplicate cycle_id; 413 body over IACT_API_MAX_BODY_BYTES.
//   GET /api/dora/metrics?days=30&repo=&installation=&environment=&benchmark=, read:
//     the plan's {period_days, metrics, total_cycles} computed as its view
//     does, plus `dora` (production together, and every environment).
//
// Tokens restricted to repositories (src/http/auth/repo-access.ts) must name
// one of theirs in `repo` (400 without, 403 outside; `installation` does not
// replace it: an installation may hold repositories outside the token's
// list). The team's records
// belong to no repository: such a token reads the plan fields (the same for
// every caller, as in the plan's view) but cannot write records (the server
// refuses it on POST, which does not accept restricted tokens).
import { z } from "zod";
import { DuplicateCycleError, TeamMetrics, teamMetricInputSchema } from "../../store/team-metrics.js";
import type { PrismaClient } from "../../store/prisma.js";
import { assertRepoReadable } from "../auth/repo-access.js";
import { HttpError } from "../http-error.js";
import type { ApiRequest, ApiResponse, Route } from "../router.js";
import { queryObject, validate } from "../validation.js";
import type { DoraMeasurer } from "../../metrics/measure.js";
import { assertOneScope, doraQuerySchema, doraSection } from "./dora-query.js";
import { createdMetricSchema, errorSchema, planMetricsResponseSchema } from "./dora-schemas.js";
import { callerRequestId } from "../request-id.js";
import { currentDeliveryFields } from "../../logs/delivery-context.js";

export interface DoraRouteDependencies {
  prisma: PrismaClient;
  measurer: DoraMeasurer;
  /** The clock; tests pin it. */
  now?: () => Date;
}

const jsonContent = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) } });
export const errorResponse = (description: string) => ({ description, content: jsonContent(errorSchema) });

/** The 400 and 403 answers of a route measuring repositories, for its OpenAPI fragment. */
export const repoScopedErrorResponses = {
  "400": errorResponse("A query parameter is wrong (`details` names each one), `repo` and `installation` are both given, or the token is restricted to repositories and `repo` is missing"),
  "403": errorResponse('The token lacks the "read" scope, or it is restricted to repositories and `repo` is not one of them (the message names it)'),
};

export function queryParameters(schema: z.ZodObject): Array<Record<string, unknown>> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return { name, in: "query", required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: propertySchema };
  });
}

export function doraMetricsRoutes(dependencies: DoraRouteDependencies): Route[] {
  const teamMetrics = new TeamMetrics(dependencies.prisma);
  const now = dependencies.now ?? (() => new Date());

  const create = async (request: ApiRequest): Promise<ApiResponse> => {
    const input = validate(teamMetricInputSchema, await request.json(), "request body");
    try {
      const created = await teamMetrics.create(input, now(), { actor: request.principal?.actor ?? "token", requestId: currentDeliveryFields()?.request_id ?? callerRequestId(request.headers) });
      return { status: 201, body: created };
    } catch (error) {
      if (error instanceof DuplicateCycleError) {
        throw new HttpError(409, error.message, [{ field: "cycle_id", message: `"${input.cycle_id}" already exists` }]);
      }
      throw error;
    }
  };

  const createOpenapi = {
    requestBody: { required: true, content: { "application/json": { schema: z.toJSONSchema(teamMetricInputSchema, { io: "input" }) } } },
    responses: {
      "201": { description: "Stored", content: jsonContent(createdMetricSchema) },
      "400": errorResponse("A field is missing or wrong: `details` names each one"),
      "403": errorResponse('The token lacks the "write" scope, or it is restricted to repositories: team records belong to no repository, so only an unrestricted token writes them'),
      "409": errorResponse("A record with this cycle_id exists"),
      "413": errorResponse("The body is larger than IACT_API_MAX_BODY_BYTES"),
    },
  };

  return [
    {
      method: "GET",
      path: "/api/dora/metrics",
      scope: "read",
      acceptsRestrictedTokens: true,
      summary: "The plan's summary of the team's records over the last `days`, and the GitHub-derived DORA figures (`dora`)",
      openapi: {
        parameters: queryParameters(doraQuerySchema),
        responses: {
          "200": { description: "Summary", content: jsonContent(planMetricsResponseSchema) },
          ...repoScopedErrorResponses,
        },
      },
      handler: async (request) => {
        const query = validate(doraQuerySchema, queryObject(request.query), "query");
        assertOneScope(query);
        assertRepoReadable(request.principal, query.repo);
        const at = now();
        const [plan, measured] = await Promise.all([teamMetrics.summary(at, query.days), dependencies.measurer.measure(query, at)]);
        return {
          status: 200,
          body: {
            period_days: query.days,
            metrics: {
              lead_time_hours: plan.lead_time_hours,
              deployment_frequency: plan.deployment_frequency,
              change_failure_rate: plan.change_failure_rate,
              mttr_hours: measured.report.time_to_restore_hours.median,
            },
            total_cycles: plan.total_cycles,
            dora: doraSection(query, measured),
          },
        };
      },
    },
    {
      method: "POST",
      path: "/api/dora/metrics",
      scope: "write",
      summary: "Store one of the team's metric records",
      openapi: createOpenapi,
      handler: create,
    },
    {
      method: "POST",
      path: "/api/dora/metrics/create",
      scope: "write",
      summary: "The plan's URL for storing a record (same as POST /api/dora/metrics)",
      openapi: createOpenapi,
      handler: create,
    },
  ];
}
