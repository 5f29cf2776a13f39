// The records behind one figure of a report: which deployments, changes,
// incidents and failed attempts a figure counted, each with what the core
// decided about it (failed and why, rework and why, lead time, restore and
// recovery hours). Selected from the same measurement as the figure, so a
// reader can check every number by hand; GET /api/dora/evidence maps this to
// JSON and nothing more.
//
//   deployment_frequency        the deployments counted
//   lead_time                   the changes measured (with their lead time) and their deployments
//   change_failure_rate         the deployments of the denominator, failed ones marked with
//                               their reasons, and the incidents that failed them
//   time_to_restore             the incidents opened in the window, with restore hours
//   rework_rate                 the deployments of the denominator, rework ones marked with their reasons
//   failed_deployment_recovery  the failed deployments with their recovery hours
//   failed_deployment_attempts  the failed attempts counted
import type { FailureReason } from "./change-failure.js";
import type { DoraOptions, DoraReport } from "./contract.js";
import type { AttributionMethod } from "./incident-attribution.js";
import type { ChangeRecord, DeploymentAttemptRecord, DeploymentRecord, DoraInput, IncidentRecord } from "./records.js";
import { recordFacts } from "./record-facts.js";
import type { ReworkReason } from "./rework.js";
import { scopeOf } from "./scope.js";
import type { DeploymentRecovery } from "./time-to-restore.js";

export const EVIDENCE_FIGURES = [
  "deployment_frequency",
  "lead_time",
  "change_failure_rate",
  "time_to_restore",
  "rework_rate",
  "failed_deployment_recovery",
  "failed_deployment_attempts",
] as const;
export type EvidenceFigure = (typeof EVIDENCE_FIGURES)[number];

/** The report key each figure's value is read from. */
export const EVIDENCE_VALUE_KEY = {
  deployment_frequency: "deployment_frequency",
  lead_time: "lead_time_hours",
  change_failure_rate: "change_failure_rate",
  time_to_restore: "time_to_restore_hours",
  rework_rate: "rework_rate",
  failed_deployment_recovery: "failed_deployment_recovery_hours",
  failed_deployment_attempts: "failed_deployment_attempts",
} as const satisfies Record<EvidenceFigure, keyof DoraReport>;

export type FigureValue<F extends EvidenceFigure> = DoraReport[(typeof EVIDENCE_VALUE_KEY)[F]];

/** A deployment behind a figure; a mark is present when the figure judges it (null: judged, not marked). */
export interface EvidenceDeployment {
  deployment: DeploymentRecord;
  failure?: { reasons: FailureReason[] } | null;
  rework?: { reasons: ReworkReason[] } | null;
  recovery?: Pick<DeploymentRecovery, "recoveryHours" | "recoveredBy">;
}

export interface EvidenceChange {
  change: ChangeRecord;
  leadTimeHours?: number;
}

export interface EvidenceIncident {
  incident: IncidentRecord;
  /** How the measurement of this scope treated it; null when the scope did not measure it. */
  attributedTo: string | null;
  how: AttributionMethod | null;
  restoreHours: number | null;
}

export interface FigureEvidence<F extends EvidenceFigure = EvidenceFigure> {
  figure: F;
  value: FigureValue<F>;
  deployments: EvidenceDeployment[];
  changes: EvidenceChange[];
  incidents: EvidenceIncident[];
  /** Only for failed_deployment_attempts. */
  attempts?: DeploymentAttemptRecord[];
}

/**
 * The evidence of `figure` in `report`, which computeDoraReport (or
 * computeDoraByEnvironment's top level) made from `input` and `options`.
 */
export function selectEvidence(figure: EvidenceFigure, input: DoraInput, report: DoraReport, options: DoraOptions): FigureEvidence {
  const deploymentById = new Map(input.deployments.map((deployment) => [deployment.id, deployment]));
  const incidentById = new Map(input.incidents.map((incident) => [incident.id, incident]));
  const changeByKey = new Map(input.changes.map((change) => [`${change.deploymentId} ${change.sha}`, change]));
  const measuredIncident = new Map(report.evidence.incidents.map((entry) => [entry.id, entry]));
  const deployments = (ids: readonly string[]): EvidenceDeployment[] => ids.flatMap((id) => (deploymentById.has(id) ? [{ deployment: deploymentById.get(id)! }] : []));
  const incidents = (ids: readonly string[]): EvidenceIncident[] =>
    ids.flatMap((id) => {
      const incident = incidentById.get(id);
      if (!incident) return [];
      const measured = measuredIncident.get(id);
      return [{ incident, attributedTo: measured?.attributed_to ?? null, how: measured?.how ?? null, restoreHours: measured?.restore_hours ?? null }];
    });
  const incidentsFailing = () => incidents([...new Set(report.evidence.failed_deployments.flatMap((entry) => entry.incident_ids ?? []))]);
  const selected = { figure, value: report[EVIDENCE_VALUE_KEY[figure]], deployments: [] as EvidenceDeployment[], changes: [] as EvidenceChange[], incidents: [] as EvidenceIncident[] };

  switch (figure) {
    case "deployment_frequency":
      return { ...selected, deployments: deployments(report.evidence.deployments) };
    case "lead_time":
      return {
        ...selected,
        deployments: deployments([...new Set(report.evidence.changes.map((entry) => entry.deployment_id))]),
        changes: report.evidence.changes.flatMap((entry) => {
          const change = changeByKey.get(`${entry.deployment_id} ${entry.sha}`);
          return change ? [{ change, leadTimeHours: entry.lead_time_hours }] : [];
        }),
      };
    case "change_failure_rate": {
      const failed = new Map(report.evidence.failed_deployments.map((entry) => [entry.deployment_id, entry]));
      return {
        ...selected,
        deployments: deployments(report.evidence.deployments).map((entry) => {
          const failure = failed.get(entry.deployment.id);
          return { ...entry, failure: failure ? { reasons: failure.reasons } : null };
        }),
        incidents: incidentsFailing(),
      };
    }
    case "time_to_restore":
      return { ...selected, incidents: incidents(report.evidence.incidents.map((entry) => entry.id)) };
    case "rework_rate": {
      // The core's per-deployment results (the same the rollups are built from), for the deployments of this report.
      const reworkOf = new Map(recordFacts(input, options).rework.reworkDeployments.map((entry) => [entry.deploymentId, entry.reasons]));
      return {
        ...selected,
        deployments: deployments(report.evidence.deployments).map((entry) => {
          const reasons = reworkOf.get(entry.deployment.id);
          return { ...entry, rework: reasons ? { reasons } : null };
        }),
      };
    }
    case "failed_deployment_recovery": {
      const recoveryOf = new Map(recordFacts(input, options).recovery.deployments.map((entry) => [entry.deploymentId, entry]));
      return {
        ...selected,
        deployments: deployments(report.evidence.failed_deployments.map((entry) => entry.deployment_id)).map((entry) => {
          const recovery = recoveryOf.get(entry.deployment.id);
          return { ...entry, recovery: { recoveryHours: recovery?.recoveryHours ?? null, recoveredBy: recovery?.recoveredBy ?? null } };
        }),
        incidents: incidentsFailing(),
      };
    }
    case "failed_deployment_attempts": {
      const scope = scopeOf(options.environment, options.productionPatterns ?? []);
      return { ...selected, attempts: recordFacts(input, options).attempts.filter((attempt) => scope.includesEnvironment(attempt.environment)) };
    }
  }
}
