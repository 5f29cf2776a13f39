// Dashboard page time (issue 10: pages answer within 300 ms for a
// repository with a year of history): the real service, signed in through
// the fake GitHub OAuth server, timing GET of the overview (figures, the
// previous period for the trend, and the charts' evidence), an evidence
// page and the records list, sequentially after a warm-up.
//
// 1. a year of generated history (test/support/generated-history.ts):
//    BENCH_DASHBOARD_DEPLOYMENTS deployments (default 3,000) over three
//    repositories, with changes, pull requests, rollbacks, incidents;
//    10,000 team records
// 2. start the service with the dashboard on, sign in
// 3. time BENCH_REQUESTS requests per page (default 50)
// Run alone:
//   npx tsx bench/dashboard.ts
import pino from "pino";
import { loadConfig } from "../src/config/env.js";
import { startService } from "../src/service.js";
import { applyMigrations } from "../src/store/migrations.js";
import { TEST_DATABASE_URL, testDatabaseSettings, truncateAllTables } from "../test/support/database.js";
import { DashboardClient } from "../test/support/dashboard-client.js";
import { dashboardEnv, FakeGitHubOAuth } from "../test/support/fake-github-oauth.js";
import { HISTORY_REPOS, writeGeneratedHistory } from "../test/support/generated-history.js";
import { testEnv, TestOctokit } from "../test/support/service.js";
import { latencySummary } from "./stats.js";

const DAY = 86_400_000;

async function timePage(client: DashboardClient, path: string, requests: number): Promise<Record<string, number>> {
  const answer = await client.get(path);
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
  for (let index = 0; index < 5; index += 1) await client.get(path);
  const samples: number[] = [];
  for (let index = 0; index < requests; index += 1) {
    const started = performance.now();
    const { status } = await client.get(path);
    samples.push(performance.now() - started);
    if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
  }
  return { bytes: Buffer.byteLength(answer.text), ...latencySummary(samples) };
}

export async function benchDashboard(): Promise<Record<string, unknown>> {
  const deployments = Number(process.env.BENCH_DASHBOARD_DEPLOYMENTS ?? 3_000);
  const requests = Number(process.env.BENCH_REQUESTS ?? 50);
  await applyMigrations(testDatabaseSettings());
  await truncateAllTables();
  const fake = new FakeGitHubOAuth();
  await fake.start();
  fake.user = { login: "bench", id: 1, installations: { 1: HISTORY_REPOS.map((entry) => entry.repo) } };
  const config = loadConfig(testEnv({ DATABASE_URL: TEST_DATABASE_URL, ...dashboardEnv(fake) }));
  const service = await startService({ config, log: pino({ level: "silent" }), Octokit: TestOctokit });
  try {
    await service.databaseReady;
    const now = new Date();
    await writeGeneratedHistory(service.prisma, { seed: 10, end: now, days: 365, deployments, incidents: Math.round(deployments / 30) });
    const records = Array.from({ length: 10_000 }, (_, index) => ({
      cycleId: `CYC-${index}`,
      featureId: `FEAT-${index % 400}`,
      phaseName: ["planning", "testing", "deployment", "maintenance"][index % 4]!,
      decision: ["go", "no-go", "review", "blocked"][index % 3]!,
      durationSeconds: "120.50",
      metadata: {},
      createdAt: new Date(now.getTime() - (index % 365) * DAY),
    }));
    await service.prisma.teamMetric.createMany({ data: records });
    const repo = HISTORY_REPOS[0].repo;
    const repoDeployments = await service.prisma.doraDeployment.count({ where: { repo, deployedAt: { not: null } } });
    const client = new DashboardClient(service.url);
    await client.signIn();
    return {
      name: "dashboard",
      description: "GET of dashboard pages for one repository with a year of history, signed in, sequential",
      repository: repo,
      repository_deployments: repoDeployments,
      all_deployments: deployments,
      team_records: records.length,
      overview_365_days: await timePage(client, `/dashboard/repos/${repo}?days=365`, requests),
      overview_90_days: await timePage(client, `/dashboard/repos/${repo}?days=90`, requests),
      evidence_lead_time_365_days: await timePage(client, `/dashboard/repos/${repo}/evidence/lead_time?days=365`, requests),
      records_filtered: await timePage(client, "/dashboard/records?phase=testing&q=FEAT-1", requests),
    };
  } finally {
    await service.stop();
    await fake.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchDashboard(), null, 2));
  process.exit(0);
}
