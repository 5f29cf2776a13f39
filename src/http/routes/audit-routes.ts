// GET /api/audit (read): the audit log, newest first, a page at a time,
// filtered by action, actor and time. The cursor is the id to continue
// below, so a page never repeats or skips an entry while others are added.
import { z } from "zod";
import { listAudit } from "../../store/audit-log.js";
import type { AuditEntry } from "../../store/audit-log.js";
import type { PrismaClient } from "../../store/prisma.js";
import { HttpError } from "../http-error.js";
import type { Route } from "../router.js";
import { queryObject, validate } from "../validation.js";
import { errorResponse } from "./dora-metrics-routes.js";

const MAX_LIMIT = 1_000;

const isoTime = z.iso.datetime({ offset: true, message: "must be an ISO 8601 time such as 2026-11-01T00:00:00Z" }).transform((text) => new Date(text));

export const auditQuerySchema = z.strictObject({
  action: z.string().regex(/^[a-z_.]{1,64}$/, "must be an action name such as token.created").optional(),
  actor: z.string().min(1).max(255).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  cursor: z.string().regex(/^[1-9]\d{0,18}$/, "must be the next_cursor of a previous page").transform((text) => BigInt(text)).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100),
});

const entrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  request_id: z.string().nullable(),
  details: z.unknown(),
  entry_hash: z.string().describe("sha256 of previous_hash + content hash: iact-bot audit verify checks the chain"),
  previous_hash: z.string(),
});

export const auditResponseSchema = z.object({
  count: z.number().int(),
  data: z.array(entrySchema),
  next_cursor: z.string().nullable().describe("Pass as cursor for the next (older) page; null on the last page"),
});

export function auditRoutes(dependencies: { prisma: PrismaClient }): Route[] {
  return [
    {
      method: "GET",
      path: "/api/audit",
      scope: "read",
      summary: "The audit log: every state-changing action, newest first, with filters and a cursor",
      openapi: {
        parameters: Object.keys(auditQuerySchema.shape).map((name) => ({ name, in: "query", required: false, schema: { type: "string" } })),
        responses: {
          "200": { description: "A page of entries", content: { "application/json": { schema: z.toJSONSchema(auditResponseSchema, { io: "output" }) } } },
          "400": errorResponse("A query parameter is wrong (named in details)"),
          "403": errorResponse('The token lacks the "read" scope'),
        },
      },
      handler: async (request) => {
        const query = validate(auditQuerySchema, queryObject(request.query), "query");
        if (query.from && query.to && query.to.getTime() <= query.from.getTime()) {
          throw new HttpError(400, "Invalid query: to must be after from", [{ field: "to", message: "must be after from" }]);
        }
        const entries = await listAudit(dependencies.prisma, {
          ...(query.action ? { action: query.action } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
          ...(query.cursor ? { beforeId: query.cursor } : {}),
          limit: query.limit,
        });
        const body: z.infer<typeof auditResponseSchema> = {
          count: entries.length,
          data: entries.map(entryJson),
          next_cursor: entries.length === query.limit ? entries.at(-1)!.id.toString() : null,
        };
        return { status: 200, body };
      },
    },
  ];
}

function entryJson(entry: AuditEntry): z.infer<typeof entrySchema> {
  return {
    id: entry.id.toString(),
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    request_id: entry.requestId,
    details: entry.details,
    entry_hash: entry.entryHash,
    previous_hash: entry.previousHash,
  };
}
