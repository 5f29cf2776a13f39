// GET /api/data/query?type=metrics|logs|health&days=N (read): the plan's one
// query API over the service's data, {query_type, days, count, data,
// next_cursor}, newest first, at most 1,000 rows a page.
//
//   metrics  the team's metric records created in the window, and on the
//            first page the DORA figures of the window (`dora`, the same
//            measurer and filters as GET /api/dora/metrics);
//   logs     the stored log lines (filters level = at least this level,
//            request_id, repository, installation, q = substring of the message);
//   health   the stored health snapshots (every 5 minutes, kept 30 days).
//
// A filter that does not apply to the type is refused (400 naming it), as is
// a cursor from another query: the cursor is signed (src/http/query-cursor.ts).
// Logs span every repository, so a token restricted to repositories is
// refused by the server before this route runs.
import { z } from "zod";
import { MS_PER_DAY } from "../../dora/index.js";
import { LOG_LEVEL_NAMES, LOG_LEVELS, levelName } from "../../lib/log-lines.js";
import type { LogStore } from "../../lib/log-lines.js";
import type { DoraMeasurer } from "../../metrics/measure.js";
import { pageHealthSnapshots } from "../../store/health-snapshots.js";
import type { PrismaClient } from "../../store/prisma.js";
import { TeamMetrics } from "../../store/team-metrics.js";
import { HttpError } from "../http-error.js";
import { QueryCursors } from "../query-cursor.js";
import { wholeNumberParameter } from "../query-numbers.js";
import type { PagePosition } from "../query-cursor.js";
import type { Route } from "../router.js";
import { queryObject, validate } from "../validation.js";
import { assertOneScope, doraQuerySchema, doraSection } from "./dora-query.js";
import { errorResponse, queryParameters } from "./dora-metrics-routes.js";

export const MAX_QUERY_DAYS = 365;
export const MAX_PAGE_ROWS = 1_000;
export const QUERY_TYPES = ["metrics", "logs", "health"] as const;
type QueryType = (typeof QUERY_TYPES)[number];

const { repo, environment, installation, benchmark } = doraQuerySchema.shape;

export const dataQuerySchema = z.strictObject({
  type: z.enum(QUERY_TYPES, { error: "must be metrics, logs or health" }).describe("What to read"),
  days: wholeNumberParameter("days", MAX_QUERY_DAYS, 1).describe("Length of the window in days, ending now (fixed by the first page)"),
  limit: wholeNumberParameter("rows", MAX_PAGE_ROWS, 100).describe("Rows a page"),
  cursor: z.string().max(512, "is not a cursor of this query").optional().describe("`next_cursor` of the previous page, with the same query"),
  repo: repo.describe("metrics: only this repository's DORA figures (owner/name)"),
  environment: environment.describe("metrics: measure this one environment"),
  benchmark: benchmark.describe("metrics: the DORA benchmark year to classify with"),
  installation: installation.describe("metrics: the DORA figures of this installation's repositories; logs: lines about this installation"),
  level: z.enum(LOG_LEVEL_NAMES, { error: `must be one of ${LOG_LEVEL_NAMES.join(", ")}` }).optional().describe("logs: this level and above"),
  request_id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be a request id (1-128 letters, digits, . _ : -)")
    .optional()
    .describe("logs: the lines of one delivery or API request"),
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name").optional().describe("logs: lines about this repository"),
  q: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters").optional().describe("logs: a substring of the message"),
});

type DataQuery = z.output<typeof dataQuerySchema>;

const FILTERS_OF: Record<QueryType, ReadonlyArray<keyof DataQuery>> = {
  metrics: ["repo", "environment", "benchmark", "installation"],
  logs: ["level", "request_id", "repository", "installation", "q"],
  health: [],
};
const ALL_FILTERS = [...new Set(Object.values(FILTERS_OF).flat())];

export interface DataQueryRouteDependencies {
  prisma: PrismaClient;
  measurer: DoraMeasurer;
  logStore: LogStore;
  /** Signs the page cursors; a per-process key when not given. */
  cursors?: QueryCursors;
  now?: () => Date;
}

interface Page {
  data: unknown[];
  /** Position of each row, to continue after the last one. */
  positions: PagePosition[];
  extra?: Record<string, unknown>;
}

export function dataQueryRoutes(dependencies: DataQueryRouteDependencies): Route[] {
  const cursors = dependencies.cursors ?? new QueryCursors();
  const now = dependencies.now ?? (() => new Date());
  const teamMetrics = new TeamMetrics(dependencies.prisma);

  const readers: Record<QueryType, (query: DataQuery, window: Window) => Promise<Page>> = {
    async metrics(query, window) {
      const rows = await teamMetrics.page({ from: window.from, to: window.to, ...afterOf(window), limit: window.limit });
      const page: Page = {
        data: rows.map((row) => ({
          id: row.id,
          cycle_id: row.cycleId,
          feature_id: row.featureId,
          phase_name: row.phaseName,
          decision: row.decision,
          duration_seconds: row.durationSeconds,
          metadata: row.metadata,
          created_at: row.createdAt.toISOString(),
        })),
        positions: rows.map((row) => ({ at: row.createdAt, id: row.id.toString() })),
      };
      if (!window.after) {
        const doraQuery = { days: query.days, ...pick(query, ["repo", "environment", "installation", "benchmark"]) };
        page.extra = { dora: doraSection(doraQuery, await dependencies.measurer.measure(doraQuery, window.to)) };
      }
      return page;
    },
    async logs(query, window) {
      const lines = await dependencies.logStore.read({
        from: window.from,
        to: window.to,
        limit: window.limit,
        ...(window.after ? { after: { loggedAt: window.after.at, id: window.after.id } } : {}),
        ...(query.level ? { minLevel: LOG_LEVELS[query.level] } : {}),
        ...(query.request_id ? { requestId: query.request_id } : {}),
        ...(query.repository ? { repository: query.repository } : {}),
        ...(query.installation !== undefined ? { installation: query.installation } : {}),
        ...(query.q ? { text: query.q } : {}),
      });
      return {
        data: lines.map((line) => ({
          id: line.id,
          time: line.loggedAt.toISOString(),
          level: levelName(line.level),
          logger: line.logger,
          message: line.message,
          request_id: line.requestId,
          installation: line.installation,
          repository: line.repository,
          actor: line.actor,
          fields: JSON.parse(line.line) as unknown,
        })),
        positions: lines.map((line) => ({ at: line.loggedAt, id: line.id })),
      };
    },
    async health(_query, window) {
      const snapshots = await pageHealthSnapshots(dependencies.prisma, { from: window.from, to: window.to, ...afterOf(window), limit: window.limit });
      return {
        data: snapshots.map((snapshot) => ({ id: snapshot.id, taken_at: snapshot.takenAt.toISOString(), instance: snapshot.instance, ok: snapshot.ok, components: snapshot.components })),
        positions: snapshots.map((snapshot) => ({ at: snapshot.takenAt, id: snapshot.id.toString() })),
      };
    },
  };

  return [
    {
      method: "GET",
      path: "/api/data/query",
      scope: "read",
      summary: "One query over the team's metrics, the service's logs and its health snapshots, newest first, a page at a time",
      openapi: {
        parameters: queryParameters(dataQuerySchema),
        responses: {
          "200": { description: "{query_type, days, count, data, next_cursor}; `dora` too on the first page of type=metrics" },
          "400": errorResponse("A parameter is wrong, does not apply to the type, or the cursor is not one of this query: `details` names each one"),
          "403": errorResponse('The token lacks the "read" scope, or it is restricted to repositories'),
        },
      },
      handler: async (request) => {
        const query = validate(dataQuerySchema, queryObject(request.query), "query");
        assertFiltersApply(query);
        if (query.type === "metrics") assertOneScope(query);
        const { cursor, limit, ...bound } = query;
        let windowEnd = now();
        let after: PagePosition | undefined;
        if (cursor !== undefined) {
          const state = cursors.decode(bound, cursor);
          if (!state) throw new HttpError(400, "Invalid query: 1 field is wrong", [{ field: "cursor", message: "is not a cursor of this query (changed, or made for other parameters)" }]);
          windowEnd = state.windowEnd;
          after = state.position;
        }
        const window: Window = { from: new Date(windowEnd.getTime() - query.days * MS_PER_DAY), to: windowEnd, limit: limit + 1, ...(after ? { after } : {}) };
        const page = await readers[query.type](query, window);
        // One row more than asked tells whether another page follows, without an empty last page.
        const more = page.data.length > limit;
        const data = page.data.slice(0, limit);
        const last = page.positions[data.length - 1];
        return {
          status: 200,
          body: {
            query_type: query.type,
            days: query.days,
            count: data.length,
            data,
            next_cursor: more && last ? cursors.encode(bound, { windowEnd, position: last }) : null,
            ...page.extra,
          },
        };
      },
    },
  ];
}

interface Window {
  from: Date;
  to: Date;
  after?: PagePosition;
  limit: number;
}

function afterOf(window: Window): { after?: { at: Date; id: bigint } } {
  return window.after ? { after: { at: window.after.at, id: BigInt(window.after.id) } } : {};
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])) as Partial<Pick<T, K>>;
}

/** A filter of another type is an error, not silently ignored: the caller meant something by it. */
function assertFiltersApply(query: DataQuery): void {
  const applicable = FILTERS_OF[query.type];
  const misplaced = ALL_FILTERS.filter((name) => query[name] !== undefined && !applicable.includes(name));
  if (misplaced.length === 0) return;
  throw new HttpError(
    400,
    `Invalid query: ${misplaced.length === 1 ? "1 field is" : `${misplaced.length} fields are`} wrong`,
    misplaced.map((name) => ({ field: name, message: `does not apply to type=${query.type}${applicable.length > 0 ? ` (its filters: ${applicable.join(", ")})` : " (it takes no filters)"}` })),
  );
}
