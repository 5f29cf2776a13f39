// Which deployments and incidents one report covers: the production
// environments together, or one environment. Shared by the exact report and
// the rollup reader, so both put an incident in the same scope.
//
// An incident's home: the environment it names; else the environment of the
// deployment it is attributed to; else production (incidents belong to a
// repo, and what users see is production). Environment names compare
// case-insensitively, as GitHub's do.
import { isProductionEnvironment } from "./incident-attribution.js";
import type { DeploymentRecord, IncidentRecord } from "./records.js";

/** The home of an incident that names no environment and is attributed to no deployment. */
export const PRODUCTION_HOME = "";

export function incidentHome(incident: IncidentRecord, attributedTo: DeploymentRecord | undefined): string {
  return incident.environment ?? attributedTo?.environment ?? PRODUCTION_HOME;
}

export interface MeasuredScope {
  includesEnvironment(environment: string): boolean;
  /** Whether an incident whose home (incidentHome) is this belongs to the scope. */
  includesHome(home: string): boolean;
}

export function productionScope(productionPatterns: readonly RegExp[]): MeasuredScope {
  const isProduction = (environment: string) => isProductionEnvironment(environment, productionPatterns);
  return {
    includesEnvironment: isProduction,
    includesHome: (home) => home === PRODUCTION_HOME || isProduction(home),
  };
}

export function environmentScope(name: string, productionPatterns: readonly RegExp[]): MeasuredScope {
  return {
    includesEnvironment: (environment) => environment === name,
    includesHome: (home) => (home === PRODUCTION_HOME ? isProductionEnvironment(name, productionPatterns) : home.toLowerCase() === name.toLowerCase()),
  };
}

/** `environment` given: that one environment; else production together. */
export function scopeOf(environment: string | undefined, productionPatterns: readonly RegExp[]): MeasuredScope {
  return environment === undefined ? productionScope(productionPatterns) : environmentScope(environment, productionPatterns);
}
