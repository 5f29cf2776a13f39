// The JSON API's routes, added to the service's router in one call. The
// OpenAPI route goes last and reads the finished table, so it documents
// every route, its own included.
import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { DoraConfig } from "../../config/dora-config.js";
import type { PrismaClient } from "../../store/prisma.js";
import type { Router } from "../router.js";
import { doraMetricsRoutes } from "./dora-metrics-routes.js";
import { DoraMeasurer } from "./dora-source.js";
import type { DoraInputLoader, MeasurerOptions } from "./dora-source.js";
import { evidenceRoutes } from "./evidence-routes.js";
import { openApiRoute } from "./openapi-route.js";

export interface ApiDependencies {
  prisma: PrismaClient;
  loadDoraInput: DoraInputLoader;
  now?: () => Date;
  config?: DoraConfig;
  log?: Logger;
  /** Rollup thresholds and ages (defaults in DoraMeasurer). */
  rollups?: Pick<MeasurerOptions, "exactLimit" | "rollupMaxAgeMs" | "refreshOverlapDays" | "initialRollupDays">;
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
  const measurer = new DoraMeasurer({
    load: dependencies.loadDoraInput,
    prisma: dependencies.prisma,
    ...(dependencies.config ? { config: dependencies.config } : {}),
    ...(dependencies.log ? { log: dependencies.log } : {}),
    ...dependencies.rollups,
  });
  const shared = { ...dependencies, measurer };
  return router.add(...doraMetricsRoutes(shared), ...evidenceRoutes(shared), openApiRoute(router, packageVersion()));
}
