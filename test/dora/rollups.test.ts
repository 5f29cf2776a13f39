// Daily rollups give the core's figures: counts, rates and restore times
// exactly, lead-time percentiles within the 2.5 % of their buckets, on
// generated histories (pure: rows built and read without a database).
import { describe, expect, it } from "vitest";
import { doraOptions, defaultDoraConfig } from "../../src/config/dora-config.js";
import { bucketOf, bucketValue, computeDoraByEnvironment, computeDoraReport, histogramPercentile, rollupReportByEnvironment, rollupRows, sumRows } from "../../src/dora/index.js";
import type { ChangeRecord, DeploymentRecord, DoraFigures, DoraInput, DoraReport, IncidentRecord } from "../../src/dora/index.js";
import { seededRandom as random } from "../support/seeded-random.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIDNIGHT = new Date(Date.UTC(2026, 10, 27));
const REPOS = ["acme/web", "acme/api", "acme/ops"];
const ENVIRONMENTS = ["production", "prod-eu", "staging"];


/** 70 days of history: deployments with changes, rollbacks, reverts, hotfixes, attempts, incidents of every kind. */
function history(seed: number): DoraInput {
  const next = random(seed);
  const deployments: DeploymentRecord[] = [];
  const changes: ChangeRecord[] = [];
  const incidents: IncidentRecord[] = [];
  const attempts: DoraInput["attempts"][number][] = [];
  const start = MIDNIGHT.getTime() - 70 * DAY;
  for (let index = 0; index < 600; index += 1) {
    const repo = REPOS[Math.floor(next() * REPOS.length)]!;
    const environment = ENVIRONMENTS[Math.floor(next() * ENVIRONMENTS.length)]!;
    const deployedAt = new Date(start + Math.floor(next() * 71 * DAY));
    const earlier = deployments.filter((deployment) => deployment.repo === repo && deployment.environment === environment && deployment.deployedAt < deployedAt);
    const rollback = earlier.length > 2 && next() < 0.04;
    const sha = rollback ? earlier[0]!.sha : `${index.toString(16).padStart(8, "0")}${"0".repeat(32)}`;
    const id = `deployment:${index}`;
    deployments.push({ id, repo, environment, sha, deployedAt, source: "deployment", ref: next() < 0.03 ? "hotfix/urgent" : "main" });
    const count = 1 + Math.floor(next() * 4);
    for (let change = 0; change < count; change += 1) {
      const revertOf = changes.length > 0 && next() < 0.02 ? changes[Math.floor(next() * changes.length)]! : undefined;
      changes.push({
        deploymentId: id,
        sha: `${index.toString(16).padStart(8, "0")}${change.toString(16).padStart(32, "1")}`,
        authoredAt: new Date(deployedAt.getTime() - Math.floor((0.2 + -Math.log(1 - next()) * 20) * HOUR)),
        message: revertOf ? `Revert "${revertOf.message}"\n\nThis reverts commit ${revertOf.sha}.` : next() < 0.05 ? `hotfix: patch ${index}` : `feat: change ${index}.${change}`,
      });
    }
    if (next() < 0.05) attempts.push({ id: `attempt:${index}`, repo, environment, sha: "f".repeat(40), failedAt: new Date(deployedAt.getTime() + HOUR) });
  }
  for (let number = 1; number <= 40; number += 1) {
    const cause = deployments[Math.floor(next() * deployments.length)]!;
    const openedAt = new Date(cause.deployedAt.getTime() + Math.floor(next() * 60 * HOUR));
    const kind = next();
    incidents.push({
      id: `${cause.repo}#${number}`,
      repo: cause.repo,
      number,
      title: `Incident ${number}`,
      openedAt,
      ...(next() < 0.1 ? {} : { closedAt: new Date(openedAt.getTime() + Math.floor((0.5 + next() * 30) * HOUR)) }),
      ...(kind < 0.3 ? { rootCauseSha: cause.sha.slice(0, 12) } : {}),
      ...(kind > 0.85 ? { environment: ENVIRONMENTS[Math.floor(next() * ENVIRONMENTS.length)]! } : {}),
    });
  }
  return { deployments, attempts, changes, pullRequests: [], incidents };
}

function ofRepo(input: DoraInput, repo: string): DoraInput {
  const ids = new Set(input.deployments.filter((deployment) => deployment.repo === repo).map((deployment) => deployment.id));
  return {
    deployments: input.deployments.filter((deployment) => deployment.repo === repo),
    attempts: input.attempts.filter((attempt) => attempt.repo === repo),
    changes: input.changes.filter((change) => ids.has(change.deploymentId)),
    pullRequests: [],
    incidents: input.incidents.filter((incident) => incident.repo === repo),
  };
}

/** Everything equal except the lead-time percentiles, which are within the bucket error. */
function expectSameFigures(rollup: DoraFigures, exact: DoraReport, label: string): void {
  const { evidence: _evidence, lead_time_hours: exactLead, classification: exactClass, targets: exactTargets, ...exactRest } = exact;
  const { lead_time_hours: rollupLead, classification: rollupClass, targets: rollupTargets, ...rollupRest } = rollup;
  delete (exactRest as { environments?: unknown }).environments;
  delete (rollupRest as { environments?: unknown }).environments;
  expect(rollupRest, label).toEqual(exactRest);
  expect(rollupLead.count, label).toBe(exactLead.count);
  for (const [value, reference] of [
    [rollupLead.median, exactLead.median],
    [rollupLead.p90, exactLead.p90],
  ] as const) {
    if (reference === null) expect(value, label).toBeNull();
    else expect(Math.abs(value! - reference) / Math.max(reference, 1 / 3600), label).toBeLessThanOrEqual(0.0251);
  }
  expect({ ...rollupClass, lead_time: null }, label).toEqual({ ...exactClass, lead_time: null });
  expect({ ...rollupTargets, lead_time_hours: null }, label).toEqual({ ...exactTargets, lead_time_hours: null });
}

describe("rollup histograms", () => {
  it.each([[0], [-2], [1 / 7200], [1 / 3600], [0.5], [1], [24], [24 * 365 * 5]])("keeps %s hours within 2.5 %", (hours) => {
    const value = bucketValue(bucketOf(hours));
    if (hours * 3600 < 1) expect(value).toBe(0);
    else expect(Math.abs(value - hours) / hours).toBeLessThanOrEqual(0.0251);
  });

  it("interpolates percentiles between buckets like stats.percentile", () => {
    const histogram = { [bucketOf(1)]: 1, [bucketOf(10)]: 1 };
    expect(histogramPercentile(histogram, 0.5)!).toBeCloseTo((bucketValue(bucketOf(1)) + bucketValue(bucketOf(10))) / 2, 12);
    expect(histogramPercentile({}, 0.5)).toBeNull();
  });
});

describe("rollups against the core", () => {
  const to = MIDNIGHT;
  for (const days of [1, 7, 30]) {
    for (const seed of [1, 2, 3]) {
      it(`gives the core's figures for ${days} days of history ${seed}, every scope`, () => {
        const input = history(seed);
        const from = new Date(to.getTime() - days * DAY);
        const options = doraOptions(defaultDoraConfig, from, to);
        // Rows are built per repo over a longer range, as the refresh does, then read for the window.
        const buildFrom = new Date(to.getTime() - 40 * DAY);
        const perRepo = REPOS.flatMap((repo) => rollupRows(repo, ofRepo(input, repo), { ...options, from: buildFrom }));
        const scope = { productionPatterns: options.productionPatterns! };

        const exact = computeDoraByEnvironment(input, options);
        const rollup = rollupReportByEnvironment(sumRows(perRepo), from, to, scope, options);
        expectSameFigures(rollup, exact, "production, all repos");
        expect(Object.keys(rollup.environments)).toEqual(Object.keys(exact.environments).filter((name) => exact.environments[name]!.deployment_frequency.deployments + exact.environments[name]!.failed_deployment_attempts > 0));
        for (const [name, report] of Object.entries(rollup.environments)) expectSameFigures(report, exact.environments[name]!, `environment ${name}`);

        const web = perRepo.filter((row) => row.repo === "acme/web");
        expectSameFigures(rollupReportByEnvironment(web, from, to, scope, options), computeDoraReport(ofRepo(input, "acme/web"), options), "acme/web");
        expectSameFigures(
          rollupReportByEnvironment(web, from, to, { ...scope, environment: "staging" }, options),
          computeDoraReport(ofRepo(input, "acme/web"), { ...options, environment: "staging" }),
          "acme/web staging",
        );
      });
    }
  }
});

