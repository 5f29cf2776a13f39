// GET /api/dora/evidence?figure=...&days=&repo=&installation=&environment= (read): the
// deployments, changes and incidents behind one figure of GET
// /api/dora/metrics for the same query. The measurer (src/metrics/measure.ts)
// measures it with the same settings and src/dora/evidence.ts selects the
// records; this route only maps them to JSON. Evidence is always measured
// exactly over [now - days, now), even when the figures were read from
// rollups (docs/api.md: how the two can differ).
//
// A token restricted to repositories must name one of theirs in `repo`
// (400 without, 403 outside), as on GET /api/dora/metrics.
import { z } from "zod";
import { EVIDENCE_FIGURES, MS_PER_DAY } from "../../dora/index.js";
import type { ChangeRecord, DeploymentAttemptRecord, DeploymentRecord, EvidenceDeployment, EvidenceIncident, FigureEvidence } from "../../dora/index.js";
import type { DoraMeasurer } from "../../metrics/measure.js";
import { assertRepoReadable } from "../auth/repo-access.js";
import type { Route } from "../router.js";
import { queryObject, validate } from "../validation.js";
import { queryParameters, repoScopedErrorResponses } from "./dora-metrics-routes.js";
import { assertOneScope, doraQuerySchema, MAX_DAYS, scopeSection } from "./dora-query.js";
import { evidenceResponseSchema } from "./dora-schemas.js";
import { HttpError } from "../http-error.js";

export interface EvidenceRouteDependencies {
  measurer: DoraMeasurer;
  now?: () => Date;
}

export const evidenceQuerySchema = doraQuerySchema.extend({
  figure: z.enum(EVIDENCE_FIGURES, { error: `must be one of ${EVIDENCE_FIGURES.join(", ")}` }).describe("The figure whose records to list"),
  from: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time such as 2026-11-01T00:00:00Z" }).optional().describe("With `to`: the window [from, to) instead of `days` (a report's calendar month)"),
  to: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time such as 2026-12-01T00:00:00Z" }).optional().describe("With `from`: the window's end, exclusive"),
});

/** The explicit window of `from` and `to`: both or neither, `to` after `from`. */
function explicitWindow(query: { from?: string | undefined; to?: string | undefined }): { from: Date; to: Date } | undefined {
  if (query.from === undefined && query.to === undefined) return undefined;
  if (query.from === undefined || query.to === undefined) {
    const missing = query.from === undefined ? "from" : "to";
    throw new HttpError(400, "Invalid query: pass from and to together", [{ field: missing, message: `is required with ${missing === "from" ? "to" : "from"}` }]);
  }
  const window = { from: new Date(query.from), to: new Date(query.to) };
  if (window.to.getTime() <= window.from.getTime()) throw new HttpError(400, "Invalid query: to must be after from", [{ field: "to", message: "must be after from" }]);
  // The same bound as `days`: an exact measurement's cost grows with the window.
  if (window.to.getTime() - window.from.getTime() > MAX_DAYS * MS_PER_DAY) {
    throw new HttpError(400, `Invalid query: the window is longer than ${MAX_DAYS} days`, [{ field: "to", message: `must be at most ${MAX_DAYS} days after from` }]);
  }
  return window;
}

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

function incidentJson({ incident, attributedTo, how, restoreHours }: EvidenceIncident) {
  return {
    id: incident.id,
    repo: incident.repo,
    number: incident.number,
    title: incident.title,
    opened_at: incident.openedAt.toISOString(),
    closed_at: incident.closedAt?.toISOString() ?? null,
    root_cause_sha: incident.rootCauseSha ?? null,
    environment: incident.environment ?? null,
    attributed_to: attributedTo,
    how,
    restore_hours: restoreHours,
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
        const explicit = explicitWindow(query);
        const { window, evidence } = await dependencies.measurer.evidence({ ...query, ...(explicit ? { window: explicit } : {}) }, query.figure, now());
        return {
          status: 200,
          body: { figure: query.figure, value: evidence.value, window, scope: scopeSection(query), attempts: [], ...evidenceBody(evidence) },
        };
      },
    },
  ];
}

/** The lists of an evidence answer: each record as JSON, with the marks its figure judges. */
function evidenceBody(evidence: FigureEvidence) {
  return {
    deployments: evidence.deployments.map(deploymentEvidenceJson),
    changes: evidence.changes.map(({ change, leadTimeHours }) => changeJson(change, leadTimeHours)),
    incidents: evidence.incidents.map(incidentJson),
    ...(evidence.attempts ? { attempts: evidence.attempts.map(attemptJson) } : {}),
  };
}

function deploymentEvidenceJson({ deployment, failure, rework, recovery }: EvidenceDeployment) {
  return {
    ...deploymentJson(deployment),
    ...(failure !== undefined ? { failed: failure !== null, ...(failure ? { reasons: failure.reasons } : {}) } : {}),
    ...(rework !== undefined ? { rework: rework !== null, ...(rework ? { reasons: rework.reasons } : {}) } : {}),
    ...(recovery !== undefined ? { recovery_hours: recovery.recoveryHours, recovered_by: recovery.recoveredBy } : {}),
  };
}

function attemptJson(attempt: DeploymentAttemptRecord) {
  return { id: attempt.id, repo: attempt.repo, environment: attempt.environment, sha: attempt.sha, failed_at: attempt.failedAt.toISOString() };
}
