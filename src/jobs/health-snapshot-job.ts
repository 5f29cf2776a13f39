// The health snapshot job (every 5 minutes): asks every dependency how it
// is, stores the answers (health_snapshots), and deletes snapshots older
// than 30 days, as the plan keeps health checks. /ready answers "now" for a
// load balancer; the snapshots answer "since when" for a person.
//
// Beside the service's own readiness probes it records what /ready does not
// ask on every poll: the inbox backlog, jobs that failed in the last day, and
// whether GitHub answers the app.
import type { ProbotOctokit } from "probot";
import { MS_PER_DAY } from "../dora/index.js";
import { readInboxBacklog } from "../inbox/inbox-backlog.js";
import { checkDependencies } from "../lib/probes.js";
import type { ReadinessProbe } from "../lib/probes.js";
import { deleteHealthSnapshotsBefore, writeHealthSnapshot } from "../store/health-snapshots.js";
import { failedJobRunsSince } from "../store/job-runs.js";
import type { PrismaClient } from "../store/prisma.js";
import type { JobDefinition } from "./scheduler.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export const HEALTH_SNAPSHOT_JOB = "health-snapshot";
/** The plan keeps health checks 30 days. */
export const HEALTH_RETENTION_DAYS = 30;

export interface HealthSnapshotDependencies {
  prisma: PrismaClient;
  /** Names the replica in the snapshot. */
  instanceId: string;
  /** The service's readiness probes (/ready); the CLI has none beyond MySQL. */
  readinessProbes?: Record<string, ReadinessProbe>;
  appOctokit?: () => Promise<Octokit>;
}

/** Every probe a snapshot asks: the readiness probes plus the inbox, the jobs and GitHub. */
export function snapshotProbes(dependencies: HealthSnapshotDependencies, now: () => Date = () => new Date()): Record<string, ReadinessProbe> {
  const { prisma, appOctokit } = dependencies;
  return {
    mysql: async () => {
      await prisma.$queryRaw`SELECT 1`;
      return { ok: true };
    },
    ...dependencies.readinessProbes,
    inbox: async () => {
      const backlog = await readInboxBacklog(prisma);
      return { ok: true, pending: backlog.pending, processing: backlog.processing, failed: backlog.failed, oldest_pending_seconds: backlog.oldestPendingSeconds ?? 0 };
    },
    jobs: async () => {
      const failed = await failedJobRunsSince(prisma, new Date(now().getTime() - MS_PER_DAY));
      return { ok: Object.keys(failed).length === 0, failed_last_day: failed };
    },
    github: async () => {
      if (!appOctokit) return { ok: false, error: "no GitHub App credentials" };
      const { data } = await (await appOctokit()).rest.apps.getAuthenticated();
      return { ok: true, app: data?.slug ?? null };
    },
  };
}

export function healthSnapshotJob(dependencies: HealthSnapshotDependencies): JobDefinition {
  return {
    name: HEALTH_SNAPSHOT_JOB,
    description: `record every dependency's health (MySQL, migrations, inbox backlog, job failures, GitHub), kept ${HEALTH_RETENTION_DAYS} days`,
    schedule: "*/5 * * * *",
    timezone: "UTC",
    async run({ scheduledFor }) {
      const components = await checkDependencies(snapshotProbes(dependencies));
      const failing = Object.values(components).filter((component) => !component.ok).length;
      await writeHealthSnapshot(dependencies.prisma, { takenAt: new Date(), instance: dependencies.instanceId, ok: failing === 0, components });
      const deleted = await deleteHealthSnapshotsBefore(dependencies.prisma, new Date(scheduledFor.getTime() - HEALTH_RETENTION_DAYS * MS_PER_DAY));
      return { components: Object.keys(components).length, failing, deleted };
    },
  };
}
