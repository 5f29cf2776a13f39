// The monthly DORA report issue job over many repositories: 200 repositories
// in 4 installations, each with a year of history (about two deployments a
// week with two changes each, some with their pull request, and an incident
// a quarter), all with reports on. GitHub is the nock fake of the job's suite
// (test/support/fake-report-github.ts). Reports the job's time, the GitHub
// requests it issued (by kind), and the process's peak RSS; then the next
// hourly run, when every period is published already (the steady state).
// Issue writes are not spaced here (spacingMs 0): in production each
// installation's writes are at least a second apart, which adds about one
// second per repository of an installation to the first run of a month.
// Run alone:
//   npx tsx bench/report-issues.ts
import pino from "pino";
import nock from "nock";
import { REPORT_ISSUES_JOB } from "../src/jobs/report-issues-job.js";
import { Scheduler } from "../src/jobs/scheduler.js";
import { DoraMeasurer } from "../src/metrics/measure.js";
import { loadDoraInput } from "../src/store/dora-records.js";
import { applyMigrations } from "../src/store/migrations.js";
import { createPrismaClient } from "../src/store/prisma.js";
import type { PrismaClient } from "../src/store/prisma.js";
import { testDatabaseSettings, truncateAllTables } from "../test/support/database.js";
import { FakeReportGitHub, reportIssuesJobOnFake } from "../test/support/fake-report-github.js";
import type { FakeInstallation } from "../test/support/fake-report-github.js";
import { seededRandom } from "../test/support/seeded-random.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = new Date("2026-12-01T00:00:00Z");
const DUE = new Date("2026-12-01T06:00:00Z");
const CONFIG = "reports:\n  enabled: true\n";

async function writeHistory(prisma: PrismaClient, repos: string[]): Promise<{ deployments: number; changes: number; incidents: number }> {
  const next = seededRandom(2026);
  const totals = { deployments: 0, changes: 0, incidents: 0 };
  for (const [index, repo] of repos.entries()) {
    const deployments = [];
    for (let at = END.getTime() - 365 * DAY + next() * DAY; at < END.getTime(); at += (2 + next() * 3) * DAY) {
      const id: number = deployments.length;
      deployments.push({
        repo,
        installationId: BigInt(1 + (index % 4)),
        sourceKey: `deployment:${index}:${id}`,
        source: "deployment",
        environment: next() < 0.8 ? "production" : "staging",
        sha: `${index.toString(16).padStart(8, "0")}${id.toString(16).padStart(32, "0")}`,
        ref: "main",
        createdAt: new Date(at - 60_000),
        state: next() < 0.95 ? "success" : "failure",
        stateAt: new Date(at),
        deployedAt: new Date(at),
      });
    }
    await prisma.doraDeployment.createMany({ data: deployments });
    const stored = await prisma.doraDeployment.findMany({ where: { repo }, select: { id: true, deployedAt: true, sourceKey: true } });
    const changes = stored.flatMap((deployment, id) =>
      [0, 1].map((change) => {
        const authoredAt = new Date(deployment.deployedAt!.getTime() - (1 + next() * 96) * HOUR);
        return {
          deploymentId: deployment.id,
          sha: `${index.toString(16).padStart(6, "0")}${id.toString(16).padStart(6, "0")}${change}`.padStart(40, "c"),
          authoredAt,
          committedAt: authoredAt,
          message: `feat: change ${id}.${change}`,
          ...(change === 0 ? { prRepo: repo, prNumber: id + 1 } : {}),
        };
      }),
    );
    await prisma.doraChange.createMany({ data: changes });
    const incidents = [0, 1, 2, 3].map((quarter) => {
      const openedAt = new Date(END.getTime() - (quarter * 91 + 10 + next() * 60) * DAY);
      return { repo, number: quarter + 1, installationId: BigInt(1 + (index % 4)), title: `Outage ${quarter + 1}`, labels: ["incident"], isIncident: true, openedAt, closedAt: new Date(openedAt.getTime() + (1 + next() * 8) * HOUR), githubUpdatedAt: openedAt };
    });
    await prisma.doraIncident.createMany({ data: incidents });
    totals.deployments += deployments.length;
    totals.changes += changes.length;
    totals.incidents += incidents.length;
  }
  return totals;
}

function requestKinds(requests: readonly string[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const request of requests) {
    const kind = request
      .replace(/\?.*$/, "")
      .replace(/\/repos\/[^/]+\/[^/]+\//, "/repos/{owner}/{repo}/")
      .replace(/\/installations\/\d+\//, "/installations/{id}/")
      .replace(/\/issues\/\d+$/, "/issues/{number}")
      .replace(/contents\/.*$/, "contents/{path}");
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

export async function benchReportIssues(): Promise<Record<string, unknown>> {
  const repositories = Number(process.env.BENCH_REPORT_REPOSITORIES ?? 200);
  await applyMigrations(testDatabaseSettings());
  await truncateAllTables();
  const prisma = createPrismaClient(testDatabaseSettings());
  const log = pino({ level: "silent" });
  try {
    const repos = Array.from({ length: repositories }, (_, index) => `bench-org-${index % 4}/service-${index}`);
    const history = await writeHistory(prisma, repos);
    const installations: FakeInstallation[] = [0, 1, 2, 3].map((installation) => ({
      id: 1 + installation,
      repositories: repos.filter((_, index) => index % 4 === installation).map((fullName) => ({ fullName, config: CONFIG })),
    }));
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"));
    const github = new FakeReportGitHub(installations);
    github.intercept();
    const measurer = new DoraMeasurer({ load: (query) => loadDoraInput(prisma, query), prisma, log });
    const job = reportIssuesJobOnFake({ prisma, log, measurer });
    const scheduler = new Scheduler({ prisma, log, jobs: [job], instanceId: "bench" });

    const started = performance.now();
    const first = await scheduler.runSlot(REPORT_ISSUES_JOB, DUE, "schedule");
    const firstSeconds = (performance.now() - started) / 1000;
    const firstRequests = [...github.requests];
    if (!first.ran || first.outcome !== "succeeded") throw new Error(`the report job did not succeed: ${JSON.stringify(first)}`);

    const steadyStarted = performance.now();
    const steady = await scheduler.runSlot(REPORT_ISSUES_JOB, new Date(DUE.getTime() + HOUR), "schedule");
    const steadySeconds = (performance.now() - steadyStarted) / 1000;
    const steadyRequests = github.requests.slice(firstRequests.length);
    await measurer.idle();
    await scheduler.stop();
    nock.cleanAll();
    return {
      name: "report-issues",
      description: `monthly DORA report issue job over ${repositories} repositories (4 installations) with a year of history each; GitHub faked with nock; issue writes not spaced`,
      history,
      first_run: {
        seconds: Math.round(firstSeconds * 10) / 10,
        per_repository_ms: Math.round((firstSeconds * 1000) / repositories),
        counts: first.counts,
        github_requests: firstRequests.length,
        github_requests_by_kind: requestKinds(firstRequests),
      },
      // The same job object: .github/iact.yml answers come from its 5-minute cache; an hour later they are read again (one GET per repository).
      next_hour: { seconds: Math.round(steadySeconds * 10) / 10, counts: steady.ran ? steady.counts : steady, github_requests: steadyRequests.length, github_requests_by_kind: requestKinds(steadyRequests) },
      issues_created: [...github.issues.values()].reduce((sum, issues) => sum + issues.length, 0),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await prisma.$disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchReportIssues(), null, 2));
  process.exit(0);
}
