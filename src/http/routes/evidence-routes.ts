// GET /api/dora/evidence?figure=...&days=&repo=&installation=&environment= (read): the
// deployments, changes and incidents behind one figure of GET
// /api/dora/metrics for the same query, measured from the same records by
// the same code (dora-source.ts), so every number can be checked by hand.
// Evidence is always measured exactly over [now - days, now), even when the
// figures were read from rollups (docs/api.md: how the two can differ).
//
//   deployment_frequency  the deployments counted
//   lead_time             the changes measured (with their lead time) and their deployments
//   change_failure_rate   the deployments of the denominator, failed ones marked with
//                         their reasons, and the incidents that failed them
//   time_to_restore       the incidents opened in the window, with restore hours
//   rework_rate           the deployments of the denominator, rework ones marked with their reasons
//   failed_deployment_recovery  the failed deployments with their recovery hours
//   failed_deployment_attempts  the failed attempts counted
//
// A token restricted to repositories must name one of theirs in `repo`
// (400 without, 403 outside), as on GET /api/dora/metrics.
import { z } from "zod";
import { isProductionEnvironment } from "../../dora/index.js";
import type { ChangeRecord, DeploymentRecord, IncidentRecord } from "../../dora/index.js";
import { recordFacts } from "../../store/dora-rollups.js";
import { assertRepoReadable } from "../auth/repo-access.js";
import type { Route } from "../router.js";
import { queryObject, validate } from "../validation.js";
import { queryParameters, repoScopedErrorResponses } from "./dora-metrics-routes.js";
import { assertOneScope, doraQuerySchema, measureWindow, scopeSection, withBenchmark } from "./dora-source.js";
import type { DoraInputLoader, DoraMeasurer } from "./dora-source.js";
import { evidenceFigures, evidenceResponseSchema } from "./dora-schemas.js";

export interface EvidenceRouteDependencies {
  loadDoraInput: DoraInputLoader;
  measurer: DoraMeasurer;
  now?: () => Date;
}

export const evidenceQuerySchema = doraQuerySchema.extend({
  figure: z.enum(evidenceFigures, { error: `must be one of ${evidenceFigures.join(", ")}` }).describe("The figure whose records to list"),
});

function deploymentJson(deployment: DeploymentRecord) {
  return {
    id: deployment.id,
    repo: deployment.repo,
    environment: deployment.environment,
    sha: deployment.sha,
    ...(deployment.ref !== undefined ? { ref: deployment.ref } : {}),
    deployed_at: deployment.deployedAt.toISOString(),
    source: deployment.source,
  };
}

function changeJson(change: ChangeRecord, leadTimeHours?: number) {
  return {
    deployment_id: change.deploymentId,
    sha: change.sha,
    authored_at: change.authoredAt.toISOString(),
    message: change.message.split("\n")[0] ?? "",
    ...(change.pullRequest ? { pull_request: change.pullRequest } : {}),
    ...(leadTimeHours !== undefined ? { lead_time_hours: leadTimeHours } : {}),
  };
}

function incidentJson(incident: IncidentRecord, measured?: { attributed_to: string | null; how: string | null; restore_hours: number | null }) {
  return {
    id: incident.id,
    repo: incident.repo,
    number: incident.number,
    title: incident.title,
    opened_at: incident.openedAt.toISOString(),
    closed_at: incident.closedAt?.toISOString() ?? null,
    root_cause_sha: incident.rootCauseSha ?? null,
    environment: incident.environment ?? null,
    attributed_to: measured?.attributed_to ?? null,
    how: measured?.how ?? null,
    restore_hours: measured?.restore_hours ?? null,
  };
}

export function evidenceRoutes(dependencies: EvidenceRouteDependencies): Route[] {
  const now = dependencies.now ?? (() => new Date());
  return [
    {
      method: "GET",
      path: "/api/dora/evidence",
      scope: "read",
      acceptsRestrictedTokens: true,
      summary: "The deployments, changes and incidents behind one figure of GET /api/dora/metrics",
      openapi: {
        parameters: queryParameters(evidenceQuerySchema),
        responses: {
          "200": { description: "The records behind the figure", content: { "application/json": { schema: z.toJSONSchema(evidenceResponseSchema, { io: "output", unrepresentable: "any" }) } } },
          ...repoScopedErrorResponses,
        },
      },
      handler: async (request) => {
        const query = validate(evidenceQuerySchema, queryObject(request.query), "query");
        assertOneScope(query);
        assertRepoReadable(request.principal, query.repo);
        // The same settings as GET /api/dora/metrics for this query, so the figure matches.
        const { config } = await dependencies.measurer.settingsFor(query.repo);
        const { input, report, options } = await measureWindow(dependencies.loadDoraInput, query, now(), withBenchmark(config, query.benchmark));
        const deploymentById = new Map(input.deployments.map((deployment) => [deployment.id, deployment]));
        const incidentById = new Map(input.incidents.map((incident) => [incident.id, incident]));
        const changeByKey = new Map(input.changes.map((change) => [`${change.deploymentId} ${change.sha}`, change]));
        const measuredIncident = new Map(report.evidence.incidents.map((entry) => [entry.id, entry]));
        const deployments = (ids: readonly string[]) => ids.flatMap((id) => (deploymentById.has(id) ? [deploymentJson(deploymentById.get(id)!)] : []));
        const incidents = (ids: readonly string[]) => ids.flatMap((id) => (incidentById.has(id) ? [incidentJson(incidentById.get(id)!, measuredIncident.get(id))] : []));

        let value: unknown;
        let body: { deployments: unknown[]; changes: unknown[]; incidents: unknown[]; attempts?: unknown[] };
        switch (query.figure) {
          case "deployment_frequency":
            value = report.deployment_frequency;
            body = { deployments: deployments(report.evidence.deployments), changes: [], incidents: [] };
            break;
          case "lead_time": {
            value = report.lead_time_hours;
            const changes = report.evidence.changes.flatMap((entry) => {
              const change = changeByKey.get(`${entry.deployment_id} ${entry.sha}`);
              return change ? [changeJson(change, entry.lead_time_hours)] : [];
            });
            body = { deployments: deployments([...new Set(report.evidence.changes.map((entry) => entry.deployment_id))]), changes, incidents: [] };
            break;
          }
          case "change_failure_rate": {
            value = report.change_failure_rate;
            const failed = new Map(report.evidence.failed_deployments.map((entry) => [entry.deployment_id, entry]));
            body = {
              deployments: deployments(report.evidence.deployments).map((deployment) => {
                const failure = failed.get(deployment.id);
                return { ...deployment, failed: failure !== undefined, ...(failure ? { reasons: failure.reasons } : {}) };
              }),
              changes: [],
              incidents: incidents([...new Set(report.evidence.failed_deployments.flatMap((entry) => entry.incident_ids ?? []))]),
            };
            break;
          }
          case "time_to_restore":
            value = report.time_to_restore_hours;
            body = { deployments: [], changes: [], incidents: incidents(report.evidence.incidents.map((entry) => entry.id)) };
            break;
          case "rework_rate": {
            value = report.rework_rate;
            // The core's per-deployment results (the same the rollups are built from), for the deployments of this report.
            const reworkOf = new Map(recordFacts(input, options).rework.reworkDeployments.map((entry) => [entry.deploymentId, entry.reasons]));
            body = {
              deployments: deployments(report.evidence.deployments).map((deployment) => {
                const reasons = reworkOf.get(deployment.id);
                return { ...deployment, rework: reasons !== undefined, ...(reasons ? { reasons } : {}) };
              }),
              changes: [],
              incidents: [],
            };
            break;
          }
          case "failed_deployment_recovery": {
            value = report.failed_deployment_recovery_hours;
            const recoveryOf = new Map(recordFacts(input, options).recovery.deployments.map((entry) => [entry.deploymentId, entry]));
            body = {
              deployments: deployments(report.evidence.failed_deployments.map((entry) => entry.deployment_id)).map((deployment) => ({
                ...deployment,
                recovery_hours: recoveryOf.get(deployment.id)?.recoveryHours ?? null,
                recovered_by: recoveryOf.get(deployment.id)?.recoveredBy ?? null,
              })),
              changes: [],
              incidents: incidents([...new Set(report.evidence.failed_deployments.flatMap((entry) => entry.incident_ids ?? []))]),
            };
            break;
          }
          case "failed_deployment_attempts": {
            value = report.failed_deployment_attempts;
            const patterns = options.productionPatterns ?? [];
            const inScope = (environment: string) => (query.environment === undefined ? isProductionEnvironment(environment, patterns) : environment === query.environment);
            body = {
              deployments: [],
              changes: [],
              incidents: [],
              attempts: recordFacts(input, options)
                .attempts.filter((attempt) => inScope(attempt.environment))
                .map((attempt) => ({ id: attempt.id, repo: attempt.repo, environment: attempt.environment, sha: attempt.sha, failed_at: attempt.failedAt.toISOString() })),
            };
            break;
          }
        }
        return {
          status: 200,
          body: {
            figure: query.figure,
            value,
            window: report.window,
            scope: scopeSection(query),
            attempts: [],
            ...body,
          },
        };
      },
    },
  ];
}
