// A small, hand-computed DORA history written straight into the capture
// tables (as src/github's writers would), relative to `now`:
//
//   acme/web production  d1 now-10d  changes authored 20 h and 10 h before
//                        d2 now-5d   one change 4 h before     <- incident #1 (window)
//                        d3 now-2d   one change 30 h before
//                        failed attempt now-3d
//   acme/web staging     s1 now-6d   one change 2 h before
//   acme/api production  a1 now-1d   one change 1 h before
//   incident acme/web#1  opened now-4d (1 day after d2), closed 3 h later
//
// Production (both repos): 4 deployments on 4 days; lead times 1, 4, 10, 20,
// 30 h (median 10, p90 26); 1 failed of 4 (0.25); time to restore 3 h.
// acme/web production: lead 4, 10, 20, 30 (median 15, p90 27); CFR 1/3.
import type { PrismaClient } from "../../src/store/prisma.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let nextId = 1;

export async function deployment(prisma: PrismaClient, repo: string, environment: string, at: Date, changes: Array<{ hoursBefore: number; message?: string }>): Promise<string> {
  const id = nextId++;
  const sourceKey = `deployment:${id}`;
  const row = await prisma.doraDeployment.create({
    data: {
      repo,
      installationId: 1n,
      sourceKey,
      source: "deployment",
      environment,
      sha: id.toString(16).padStart(40, "a"),
      ref: "main",
      createdAt: new Date(at.getTime() - 60_000),
      state: "success",
      stateAt: at,
      deployedAt: at,
    },
  });
  let index = 0;
  for (const change of changes) {
    const authoredAt = new Date(at.getTime() - change.hoursBefore * HOUR);
    await prisma.doraChange.create({
      data: { deploymentId: row.id, sha: `${id.toString(16)}${(index++).toString(16)}`.padStart(40, "c"), authoredAt, committedAt: authoredAt, message: change.message ?? `feat: change ${index}` },
    });
  }
  return sourceKey;
}

export interface Fixture {
  d1: string;
  d2: string;
  d3: string;
  s1: string;
  a1: string;
  attempt: string;
  incident: string;
}

export async function writeFixture(prisma: PrismaClient, now: Date): Promise<Fixture> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const d1 = await deployment(prisma, "acme/web", "production", ago(10), [{ hoursBefore: 20 }, { hoursBefore: 10 }]);
  const d2 = await deployment(prisma, "acme/web", "production", ago(5), [{ hoursBefore: 4 }]);
  const d3 = await deployment(prisma, "acme/web", "production", ago(2), [{ hoursBefore: 30 }]);
  const s1 = await deployment(prisma, "acme/web", "staging", ago(6), [{ hoursBefore: 2 }]);
  const a1 = await deployment(prisma, "acme/api", "production", ago(1), [{ hoursBefore: 1 }]);
  const attemptId = nextId++;
  await prisma.doraDeployment.create({
    data: {
      repo: "acme/web",
      installationId: 1n,
      sourceKey: `deployment:${attemptId}`,
      source: "deployment",
      environment: "production",
      sha: "f".repeat(40),
      createdAt: ago(3),
      state: "failure",
      stateAt: ago(3),
      failedAt: ago(3),
    },
  });
  const opened = ago(4);
  await prisma.doraIncident.create({
    data: {
      repo: "acme/web",
      number: 1,
      installationId: 1n,
      title: "Checkout down",
      labels: ["incident"],
      isIncident: true,
      openedAt: opened,
      closedAt: new Date(opened.getTime() + 3 * HOUR),
      githubUpdatedAt: opened,
    },
  });
  return { d1, d2, d3, s1, a1, attempt: `deployment:${attemptId}`, incident: "acme/web#1" };
}
