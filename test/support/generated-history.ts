// A generated DORA history with every kind of fact the core reads, written
// into the capture tables the way src/store's writers leave them, so API and
// measurer tests run on realistic, reproducible data (seeded).
//
// Three repositories in two installations, three environments, `days` days
// ending at `end`: deployments with 1-4 changes, pull requests (some
// reviewed, some hotfix-labelled), rollbacks, reverts, hotfix branches,
// failed attempts and incidents (root-cause sha, window-attributed, naming an
// environment, still open).
import type { PrismaClient } from "../../src/store/prisma.js";
import { seededRandom } from "./seeded-random.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const HISTORY_REPOS = [
  { repo: "acme/web", installationId: 1 },
  { repo: "acme/api", installationId: 1 },
  { repo: "other/ops", installationId: 2 },
] as const;
export const HISTORY_ENVIRONMENTS = ["production", "prod-eu", "staging"] as const;

export interface HistoryOptions {
  seed: number;
  end: Date;
  days: number;
  deployments: number;
  incidents: number;
}

const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");

export async function writeGeneratedHistory(prisma: PrismaClient, options: HistoryOptions): Promise<void> {
  const next = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const start = options.end.getTime() - options.days * DAY;
  type Shipped = { key: string; repo: string; environment: string; sha: string; deployedAt: number; changeShas: string[]; messages: string[] };
  const shipped: Shipped[] = [];
  let pullNumber = 0;

  // Deployments in time order, so a rollback can name an earlier sha.
  const times = Array.from({ length: options.deployments }, () => start + Math.floor(next() * options.days * DAY)).sort((a, b) => a - b);
  for (const [index, deployedAt] of times.entries()) {
    const { repo, installationId } = pick(HISTORY_REPOS);
    const environment = pick(HISTORY_ENVIRONMENTS);
    const earlier = shipped.filter((deployment) => deployment.repo === repo && deployment.environment === environment);
    const rollback = earlier.length > 2 && next() < 0.05 ? earlier[earlier.length - 3]! : undefined;
    const sha = rollback ? rollback.sha : `${hex(index, 8)}${"a".repeat(32)}`;
    const key = `deployment:${index + 1}`;
    const hotfixBranch = next() < 0.04;
    const row = await prisma.doraDeployment.create({
      data: {
        repo,
        installationId: BigInt(installationId),
        sourceKey: key,
        source: next() < 0.8 ? "deployment" : "workflow_run",
        environment,
        sha,
        ref: hotfixBranch ? "hotfix/urgent" : "main",
        createdAt: new Date(deployedAt - 5 * 60_000),
        state: "success",
        stateAt: new Date(deployedAt),
        deployedAt: new Date(deployedAt),
      },
    });
    const current: Shipped = { key, repo, environment, sha, deployedAt, changeShas: [], messages: [] };
    if (!rollback) {
      const count = 1 + Math.floor(next() * 4);
      let pullRequest: { repo: string; number: number } | undefined;
      if (next() < 0.6) {
        pullNumber += 1;
        pullRequest = { repo, number: pullNumber };
        const openedAt = deployedAt - Math.floor((2 + next() * 60) * HOUR);
        const mergedAt = deployedAt - Math.floor((0.1 + next() * 2) * HOUR);
        const reviewed = next() < 0.7;
        const hotfixLabel = next() < 0.05;
        await prisma.doraPullRequest.create({
          data: {
            repo,
            number: pullNumber,
            installationId: BigInt(installationId),
            title: hotfixLabel ? `Fix checkout ${pullNumber}` : `Feature ${pullNumber}`,
            state: "closed",
            headRef: `feature/${pullNumber}`,
            headSha: `${hex(pullNumber, 8)}${"b".repeat(32)}`,
            baseRef: "main",
            labels: hotfixLabel ? ["hotfix"] : [],
            openedAt: new Date(openedAt),
            closedAt: new Date(mergedAt),
            mergedAt: new Date(mergedAt),
            mergeCommitSha: sha,
            firstCommitAt: new Date(openedAt - Math.floor(next() * 24 * HOUR)),
            ...(reviewed ? { firstReviewAt: new Date(openedAt + Math.floor(((mergedAt - openedAt) * next()) / 2)) } : {}),
            reviewsListedAt: new Date(mergedAt),
            githubUpdatedAt: new Date(mergedAt),
          },
        });
      }
      for (let change = 0; change < count; change += 1) {
        const reverted = shipped.length > 0 && next() < 0.03 ? pick(shipped) : undefined;
        const revertedSha = reverted?.changeShas[0];
        const changeSha = `${hex(index, 8)}${hex(change, 32)}`;
        const message = revertedSha
          ? `Revert "${reverted.messages[0]}"\n\nThis reverts commit ${revertedSha}.`
          : next() < 0.05
            ? `hotfix: patch ${index}`
            : `feat: change ${index}.${change}`;
        const authoredAt = new Date(deployedAt - Math.floor((0.2 + -Math.log(1 - next()) * 20) * HOUR));
        await prisma.doraChange.create({
          data: {
            deploymentId: row.id,
            sha: changeSha,
            authoredAt,
            committedAt: authoredAt,
            message,
            ...(pullRequest ? { prRepo: pullRequest.repo, prNumber: pullRequest.number } : {}),
          },
        });
        current.changeShas.push(changeSha);
        current.messages.push(message.split("\n")[0]!);
      }
    }
    shipped.push(current);
    if (next() < 0.06) {
      const failedAt = new Date(deployedAt + HOUR);
      await prisma.doraDeployment.create({
        data: {
          repo,
          installationId: BigInt(installationId),
          sourceKey: `deployment:${100_000 + index}`,
          source: "deployment",
          environment,
          sha: `${hex(index, 8)}${"f".repeat(32)}`,
          ref: "main",
          createdAt: new Date(failedAt.getTime() - 60_000),
          state: "failure",
          stateAt: failedAt,
          failedAt,
        },
      });
    }
  }

  const numbers = new Map<string, number>();
  for (let count = 0; count < options.incidents; count += 1) {
    const cause = pick(shipped);
    const installationId = HISTORY_REPOS.find((entry) => entry.repo === cause.repo)!.installationId;
    const number = (numbers.get(cause.repo) ?? 0) + 1;
    numbers.set(cause.repo, number);
    const openedAt = new Date(cause.deployedAt + Math.floor(next() * 60 * HOUR));
    const kind = next();
    const open = next() < 0.1;
    await prisma.doraIncident.create({
      data: {
        repo: cause.repo,
        number,
        installationId: BigInt(installationId),
        title: `Incident ${number}`,
        labels: ["incident"],
        isIncident: true,
        openedAt,
        ...(open ? {} : { closedAt: new Date(openedAt.getTime() + Math.floor((0.5 + next() * 30) * HOUR)) }),
        ...(kind < 0.3 ? { rootCauseSha: cause.sha.slice(0, 12) } : {}),
        ...(kind > 0.85 ? { environment: pick(HISTORY_ENVIRONMENTS) } : {}),
        githubUpdatedAt: openedAt,
      },
    });
  }
}
