// DORA core: pure functions from plain records to plain results.
//
// No I/O, no clock: callers pass the window (`from`, `to`), and `to` is the
// report's "now". Capture (src/github), storage (src/store), the HTTP API and
// backfill build on this module; everything public is re-exported here, and
// docs/metrics.md is the user-facing version of the rules below.
//
// Entry points
//   computeDoraReport(input, options)        -> DoraReport (snake_case, the API contract)
//   computeDoraByEnvironment(input, options) -> DoraReport for production + `environments`
//   computePlanMetrics(records)              -> the plan's Django summary (TASK-005)
// Building blocks (usable alone, each one concern): computeDeploymentFrequency,
// computeLeadTime, attributeIncidents, findRollbacks, findReverts,
// computeChangeFailure, countFailedAttempts, computeTimeToRestore,
// computeFailedDeploymentRecovery, computeRework, classify*, evaluateTargets,
// and the parsers parseRootCause, parseRevert, isHotfix.
//
// Rules computeDoraReport applies
// - Input: DoraInput (records.ts), arrays in any order. Records are deduped
//   (deployments/attempts/incidents by id, changes by deploymentId+sha, PRs by
//   repo+number) and anything at or after `to` is forgotten (an incident closed
//   after `to` is open). Shuffled or duplicated input gives identical output.
// - Window [from, to): deployments with deployedAt in it, incidents opened in
//   it, attempts failed in it. `to <= from` throws a RangeError.
// - Scope: the top level covers production environments together
//   (`productionPatterns`, default /^prod(uction)?$/i); `options.environment`
//   (or computeDoraByEnvironment's `environments`) measures one environment.
// - Deployment order (previous/next/later) is derived, never stored: per repo
//   and environment by deployedAt, ties by id.
// - Changes: the capture layer links commits to deployments; the core counts
//   what it is given. The first deployment of an environment counts all the
//   changes the capture layer gave it, and lead time includes them.
// - Lead time: a PR's commits in one deployment count once (start: PR
//   firstCommitAt, else its earliest commit authored there); a direct push
//   starts at authoredAt; end is deployedAt. Median and p90 by linear
//   interpolation (stats.ts). Breakdown: medians of coding/pickup/review/deploy.
// - Incidents are attributed (repo-wide, before scoping) by root-cause sha,
//   else to the latest production deployment within incidentWindowHours
//   (default 48) before opening, else unattributed (counts in time to
//   restore, not in CFR). An incident's home environment: the one it names,
//   else its deployment's, else production.
// - A deployment failed by incident, rollback (a later deployment of an older
//   sha to its environment rolled back from it) or revert (a later deployment
//   to its environment reverted one of its changes). Failed attempts are a
//   separate count. Rates are ratios 0..1, null without deployments.
// - Rework: revert or hotfix changes, deployed while an incident attributed to
//   an earlier deployment was open, or a rollback.
// - Hours are unrounded numbers; presentation rounds.
export * from "./records.js";
export { percentile, median, hoursBetween, ratio } from "./stats.js";
export { calendarDay, isoWeek, daysOfWindow } from "./calendar.js";
export { shaMatches, MIN_SHA_LENGTH } from "./sha.js";
export { parseRootCause } from "./root-cause.js";
export { parseRevert, normaliseTitle, revertOfChange, findReverts, type Revert, type RevertReference } from "./revert.js";
export { isHotfix, DEFAULT_HOTFIX_PATTERNS, type HotfixPatterns, type HotfixSubject } from "./hotfix.js";
export { compareDeployments, deploymentsByEnvironment } from "./timeline.js";
export { normaliseInput, type NormalisedInput } from "./normalise.js";
export {
  attributeIncidents,
  isProductionEnvironment,
  DEFAULT_PRODUCTION_PATTERNS,
  DEFAULT_INCIDENT_WINDOW_HOURS,
  type AttributionMethod,
  type AttributionOptions,
  type IncidentAttribution,
} from "./incident-attribution.js";
export { findRollbacks, type Rollback } from "./rollback.js";
export {
  computeDeploymentFrequency,
  DAYS_PER_MONTH,
  type DeploymentFrequency,
  type DeploymentFrequencyOptions,
} from "./deployment-frequency.js";
export { computeLeadTime, type LeadTime, type LeadTimeItem, type LeadTimeStages } from "./lead-time.js";
export {
  computeChangeFailure,
  countFailedAttempts,
  type ChangeFailure,
  type ChangeFailureInput,
  type FailedDeployment,
  type FailureReason,
} from "./change-failure.js";
export {
  computeTimeToRestore,
  computeFailedDeploymentRecovery,
  type TimeToRestore,
  type IncidentRestore,
  type FailedDeploymentRecovery,
  type DeploymentRecovery,
} from "./time-to-restore.js";
export {
  computeRework,
  type Rework,
  type ReworkDeployment,
  type ReworkInput,
  type ReworkOptions,
  type ReworkReason,
} from "./rework.js";
export {
  classifyDeploymentFrequency,
  classifyLeadTime,
  classifyChangeFailureRate,
  classifyTimeToRestore,
  DEFAULT_BENCHMARK_YEAR,
  type BenchmarkYear,
  type Classification,
  type PerformanceLevel,
  type DeploymentFrequencyFacts,
} from "./classification.js";
export {
  evaluateTargets,
  DEFAULT_TARGETS,
  type Targets,
  type TargetActuals,
  type TargetResult,
  type TargetResults,
} from "./targets.js";
export {
  computeDoraReport,
  computeDoraByEnvironment,
  type DoraOptions,
  type DoraReport,
  type DoraReportByEnvironment,
} from "./report.js";
export {
  computePlanMetrics,
  filterPlanRecords,
  type PlanMetrics,
  type TeamMetricRecord,
  type TeamPhase,
  type TeamDecision,
} from "./plan-metrics.js";
export { MS_PER_DAY } from "./calendar.js";
export { type DoraFigures } from "./contract.js";
export { assembleReport, type RawFigures } from "./assemble.js";
export { prepare, type PreparedFacts } from "./prepare.js";
export { incidentHome, productionScope, environmentScope, scopeOf, PRODUCTION_HOME, type MeasuredScope } from "./scope.js";
export { recordFacts, type RecordFacts } from "./record-facts.js";
export {
  ALL_REPOS,
  STAGES,
  bucketOf,
  bucketValue,
  dayOf,
  deploymentsIn,
  histogramPercentile,
  rollupReport,
  rollupReportByEnvironment,
  rollupRows,
  settingsHash,
  sumRows,
  type Histogram,
  type RollupRow,
  type RollupScope,
  type Stage,
} from "./rollups.js";
export {
  selectEvidence,
  EVIDENCE_FIGURES,
  EVIDENCE_VALUE_KEY,
  type EvidenceFigure,
  type FigureEvidence,
  type FigureValue,
  type EvidenceDeployment,
  type EvidenceChange,
  type EvidenceIncident,
} from "./evidence.js";
