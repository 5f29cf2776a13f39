// The team's own targets (the plan's acceptance numbers), independent of the
// DORA benchmark levels.

export interface Targets {
  /** Deployments per week, met when actual >= target. */
  deploymentsPerWeek: number;
  /** Median lead time in hours, met when actual < target. */
  leadTimeHours: number;
  /** Ratio 0..1, met when actual < target. */
  changeFailureRate: number;
  /** Median time to restore in hours, met when actual < target. */
  timeToRestoreHours: number;
}

/** From the plan: >= 1 deployment per week, lead time < 48 h, CFR < 15 %, time to restore < 4 h. */
export const DEFAULT_TARGETS: Targets = {
  deploymentsPerWeek: 1,
  leadTimeHours: 48,
  changeFailureRate: 0.15,
  timeToRestoreHours: 4,
};

export interface TargetResult {
  target: number;
  actual: number | null;
  /** null when there is no actual value to judge. */
  met: boolean | null;
}

export interface TargetResults {
  deploymentFrequency: TargetResult;
  leadTimeHours: TargetResult;
  changeFailureRate: TargetResult;
  timeToRestoreHours: TargetResult;
}

export interface TargetActuals {
  deploymentsPerWeek: number | null;
  leadTimeMedianHours: number | null;
  changeFailureRate: number | null;
  timeToRestoreMedianHours: number | null;
}

export function evaluateTargets(actuals: TargetActuals, targets: Partial<Targets> = {}): TargetResults {
  const merged: Targets = { ...DEFAULT_TARGETS, ...definedOnly(targets) };
  const atLeast = (target: number, actual: number | null): TargetResult => ({
    target,
    actual,
    met: actual === null ? null : actual >= target,
  });
  const below = (target: number, actual: number | null): TargetResult => ({
    target,
    actual,
    met: actual === null ? null : actual < target,
  });
  return {
    deploymentFrequency: atLeast(merged.deploymentsPerWeek, actuals.deploymentsPerWeek),
    leadTimeHours: below(merged.leadTimeHours, actuals.leadTimeMedianHours),
    changeFailureRate: below(merged.changeFailureRate, actuals.changeFailureRate),
    timeToRestoreHours: below(merged.timeToRestoreHours, actuals.timeToRestoreMedianHours),
  };
}

/** `{ leadTimeHours: undefined }` from a parsed query must not erase the default. */
function definedOnly(targets: Partial<Targets>): Partial<Targets> {
  return Object.fromEntries(Object.entries(targets).filter(([, value]) => value !== undefined)) as Partial<Targets>;
}
