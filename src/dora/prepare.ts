// Step 1 and 2 of every DORA measurement, exact or rollup: the facts known
// at `to`, deduplicated, and the repo-wide derivations every scope shares
// (incident attribution, rollbacks, reverts). computeDoraReport and the
// rollup builder both start here, so a figure cannot depend on which path
// measured it.
import { DEFAULT_HOTFIX_PATTERNS, type HotfixPatterns } from "./hotfix.js";
import { attributeIncidents, DEFAULT_INCIDENT_WINDOW_HOURS, DEFAULT_PRODUCTION_PATTERNS, type IncidentAttribution } from "./incident-attribution.js";
import { normaliseInput, type NormalisedInput } from "./normalise.js";
import type { DoraOptions } from "./contract.js";
import type { DoraInput } from "./records.js";
import { findReverts, type Revert } from "./revert.js";
import { findRollbacks, type Rollback } from "./rollback.js";

/** What every scope shares: normalised input and the repo-wide derivations. */
export interface PreparedFacts {
  options: DoraOptions;
  productionPatterns: readonly RegExp[];
  input: NormalisedInput;
  attributions: IncidentAttribution[];
  rollbacks: Rollback[];
  reverts: Revert[];
  /** The defaults, with the kinds the options override replaced. */
  hotfixPatterns: HotfixPatterns;
}

/** Validates the window and settings, then derives what every scope shares. Throws RangeError on a bad window. */
export function prepare(input: DoraInput, options: DoraOptions): PreparedFacts {
  const { from, to } = options;
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to.getTime() <= from.getTime()) {
    throw new RangeError(`DORA window must have valid dates with from < to; got from=${String(from)} to=${String(to)}`);
  }
  const incidentWindowHours = options.incidentWindowHours ?? DEFAULT_INCIDENT_WINDOW_HOURS;
  if (!(incidentWindowHours >= 0)) {
    throw new RangeError(`incidentWindowHours must be a number >= 0; got ${incidentWindowHours}`);
  }
  const productionPatterns = options.productionPatterns ?? DEFAULT_PRODUCTION_PATTERNS;
  // 1. facts known at `to`, deduplicated
  const normalised = normaliseInput(input, to);
  // 2. repo-wide derivations, computed once for every scope
  return {
    options,
    productionPatterns,
    input: normalised,
    attributions: attributeIncidents(normalised.incidents, normalised.deployments, normalised.changes, { productionPatterns, incidentWindowHours }),
    rollbacks: findRollbacks(normalised.deployments),
    reverts: findReverts(normalised.deployments, normalised.changes, normalised.pullRequests),
    hotfixPatterns: { ...DEFAULT_HOTFIX_PATTERNS, ...definedOnly(options.hotfixPatterns ?? {}) },
  };
}

function definedOnly<T extends object>(overrides: T): Partial<T> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<T>;
}
