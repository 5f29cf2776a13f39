// The records behind each figure, on the hand-computed scenario
// (scenario.ts): each list is what the figure counted, worked out by hand.
import { describe, expect, it } from "vitest";
import { computeDoraReport, EVIDENCE_FIGURES, selectEvidence } from "../../src/dora/index.js";
import type { DoraOptions, EvidenceFigure } from "../../src/dora/index.js";
import { INPUT, WINDOW } from "./scenario.js";

const PRODUCTION: DoraOptions = WINDOW;
const evidenceOf = (figure: EvidenceFigure, options: DoraOptions = PRODUCTION) => selectEvidence(figure, INPUT, computeDoraReport(INPUT, options), options);
const ids = (entries: ReadonlyArray<{ deployment: { id: string } }>) => entries.map((entry) => entry.deployment.id);

describe("selectEvidence on the scenario, production and prod-eu together", () => {
  it("deployment_frequency: the nine deployments counted, and the figure itself", () => {
    const evidence = evidenceOf("deployment_frequency");
    expect(ids(evidence.deployments)).toEqual(["P1", "E1", "P2", "P3", "P4", "P5", "P6", "E2", "P7"]);
    expect(evidence.value).toMatchObject({ deployments: 9, deploy_days: 6 });
    expect([evidence.changes, evidence.incidents, evidence.attempts]).toEqual([[], [], undefined]);
  });

  it("lead_time: the 17 changes with their lead time, and the deployments that shipped them", () => {
    const evidence = evidenceOf("lead_time");
    expect(evidence.changes).toHaveLength(17);
    expect(evidence.changes[0]).toMatchObject({ change: { deploymentId: "P1", message: "Add cart (#1)" }, leadTimeHours: 73 });
    // P6 shipped no change (a rollback): it is not among them.
    expect(ids(evidence.deployments)).toEqual(["P1", "E1", "P2", "P3", "P4", "P5", "E2", "P7"]);
  });

  it("change_failure_rate: every deployment of the denominator, the failed ones with their reasons, and the incidents that failed them", () => {
    const evidence = evidenceOf("change_failure_rate");
    expect(evidence.value).toBe(1 / 3);
    expect(evidence.deployments.map((entry) => [entry.deployment.id, entry.failure?.reasons ?? null])).toEqual([
      ["P1", null],
      ["E1", null],
      ["P2", ["incident", "revert"]],
      ["P3", null],
      ["P4", null],
      ["P5", ["rollback"]],
      ["P6", null],
      ["E2", null],
      ["P7", ["incident"]],
    ]);
    expect(evidence.incidents.map((entry) => [entry.incident.id, entry.attributedTo, entry.how])).toEqual([
      ["I1", "P2", "root_cause"],
      ["I2", "P7", "window"],
    ]);
  });

  it("time_to_restore: the incidents opened in the window, the open and unattributed ones included", () => {
    const evidence = evidenceOf("time_to_restore");
    expect(evidence.incidents.map((entry) => [entry.incident.id, entry.restoreHours])).toEqual([
      ["I1", 3],
      ["I4", null],
      ["I2", 2],
      ["I3", 3],
    ]);
  });

  it("rework_rate: P4 (revert, during I1 of P2), P6 (rollback), E2 (revert and hotfix branch), P7 (hotfix)", () => {
    const evidence = evidenceOf("rework_rate");
    expect(evidence.value).toBe(4 / 9);
    expect(evidence.deployments.filter((entry) => entry.rework).map((entry) => [entry.deployment.id, entry.rework!.reasons])).toEqual([
      ["P4", ["revert", "open_incident"]],
      ["P6", ["rollback"]],
      ["E2", ["revert", "hotfix"]],
      ["P7", ["hotfix"]],
    ]);
    expect(evidence.deployments.filter((entry) => entry.rework === null)).toHaveLength(5);
  });

  it("failed_deployment_recovery: P2 by P3 after 22 h, P5 by P6 after 1 h, P7 by I2 closing after 20 h", () => {
    const evidence = evidenceOf("failed_deployment_recovery");
    expect(evidence.deployments.map((entry) => [entry.deployment.id, entry.recovery])).toEqual([
      ["P2", { recoveryHours: 22, recoveredBy: "next_deployment" }],
      ["P5", { recoveryHours: 1, recoveredBy: "next_deployment" }],
      ["P7", { recoveryHours: 20, recoveredBy: "incident_closed" }],
    ]);
    expect(evidence.value).toEqual({ median: 20, count: 3 });
  });

  it("failed_deployment_attempts: A1 (production) and A3 (prod-eu); A0 is before the window, A2 is staging", () => {
    expect(evidenceOf("failed_deployment_attempts").attempts?.map((attempt) => attempt.id)).toEqual(["A1", "A3"]);
  });
});

describe("selectEvidence for one environment", () => {
  const staging: DoraOptions = { ...WINDOW, environment: "staging" };

  it("lists staging's deployments and attempts only", () => {
    expect(ids(evidenceOf("deployment_frequency", staging).deployments)).toEqual(["S1", "S2"]);
    expect(evidenceOf("failed_deployment_attempts", staging).attempts?.map((attempt) => attempt.id)).toEqual(["A2"]);
  });

  it("gives each figure's value from the same report", () => {
    const report = computeDoraReport(INPUT, staging);
    const values = Object.fromEntries(EVIDENCE_FIGURES.map((figure) => [figure, selectEvidence(figure, INPUT, report, staging).value]));
    expect(values).toEqual({
      deployment_frequency: report.deployment_frequency,
      lead_time: report.lead_time_hours,
      change_failure_rate: report.change_failure_rate,
      time_to_restore: report.time_to_restore_hours,
      rework_rate: report.rework_rate,
      failed_deployment_recovery: report.failed_deployment_recovery_hours,
      failed_deployment_attempts: report.failed_deployment_attempts,
    });
  });
});
