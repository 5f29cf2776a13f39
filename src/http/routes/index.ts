// The JSON API's routes, added to the service's router in one call. The
// OpenAPI route goes last and reads the finished table, so it documents
// every route, its own included.
import { readFileSync } from "node:fs";
import type { DoraMeasurer } from "../../metrics/measure.js";
import type { PrismaClient } from "../../store/prisma.js";
import type { Router } from "../router.js";
import type { LogStore } from "../../lib/log-lines.js";
import { MysqlLogStore } from "../../store/log-lines.js";
import { auditRoutes } from "./audit-routes.js";
import { dataQueryRoutes } from "./data-query-routes.js";
import type { QueryCursors } from "../query-cursor.js";
import { doraMetricsRoutes } from "./dora-metrics-routes.js";
import { evidenceRoutes } from "./evidence-routes.js";
import { jobsRoutes } from "./jobs-routes.js";
import type { JobsRouteDependencies } from "./jobs-routes.js";
import { openApiRoute } from "./openapi-route.js";

export interface ApiDependencies {
  prisma: PrismaClient;
  /** The service's one measurer: the figures every reader shows. */
  measurer: DoraMeasurer;
  now?: () => Date;
  /** The scheduled jobs (GET /api/jobs); without it the route lists none. */
  jobs?: JobsRouteDependencies["jobs"];
  /** The service's log store (GET /api/data/query?type=logs); MySQL's log_lines when not given. */
  logStore?: LogStore;
  /** Signs /api/data/query's cursors; the same key on every replica lets a page follow from another. */
  cursors?: QueryCursors;
}

function packageVersion(): string {
  try {
    // src/http/routes and dist/http/routes are both three levels below the package root.
    const text = readFileSync(new URL("../../../package.json", import.meta.url), "utf8");
    return (JSON.parse(text) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export function addApiRoutes(router: Router, dependencies: ApiDependencies): Router {
  return router.add(...doraMetricsRoutes(dependencies), ...evidenceRoutes(dependencies), ...jobsRoutes({ jobs: dependencies.jobs ?? { list: async () => [] } }), ...auditRoutes(dependencies),
    ...dataQueryRoutes({ ...dependencies, logStore: dependencies.logStore ?? new MysqlLogStore(dependencies.prisma) }),
    openApiRoute(router, packageVersion()));
}
