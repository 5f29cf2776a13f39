// Which scope an incident belongs to, by its home: table-driven, as both the
// exact report and the rollup reader use it.
import { describe, expect, it } from "vitest";
import { environmentScope, incidentHome, PRODUCTION_HOME, productionScope } from "../../src/dora/index.js";
import { deployment, incident } from "./builders.js";

const PATTERNS = [/^prod(uction)?$/i, /^prod-[a-z]+$/i];

describe("incidentHome", () => {
  it.each([
    ["names an environment", incident("I1", "2024-03-07 12:00", undefined, { environment: "Staging" }), deployment("P1", "production", "a1", "2024-03-07 10:00"), "Staging"],
    ["attributed, no environment named", incident("I2", "2024-03-07 12:00"), deployment("E1", "prod-eu", "a1", "2024-03-07 10:00"), "prod-eu"],
    ["neither", incident("I3", "2024-03-07 12:00"), undefined, PRODUCTION_HOME],
  ])("%s", (_case, record, attributedTo, home) => {
    expect(incidentHome(record, attributedTo)).toBe(home);
  });
});

describe("scopes", () => {
  it.each([
    // scope, environment or home, includes environment, includes home
    ["production", "production", true, true],
    ["production", "prod-eu", true, true],
    ["production", "staging", false, false],
    ["production", PRODUCTION_HOME, false, true],
    ["staging", "staging", true, true],
    ["staging", "STAGING", false, true],
    ["staging", "production", false, false],
    ["staging", PRODUCTION_HOME, false, false],
    ["prod-eu", PRODUCTION_HOME, false, true],
  ] as const)("%s: %j -> environment %s, home %s", (scopeName, name, environment, home) => {
    const scope = scopeName === "production" ? productionScope(PATTERNS) : environmentScope(scopeName, PATTERNS);
    expect(scope.includesEnvironment(name)).toBe(environment);
    expect(scope.includesHome(name)).toBe(home);
  });
});
