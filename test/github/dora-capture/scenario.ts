// Runs a FakeRepo's history into the test database, as webhooks (through
// Probot's handlers) or as a REST backfill, and reads back the report.
import nock from "nock";
import pino from "pino";
import { Probot } from "probot";
import { iactBotApp } from "../../../src/app.js";
import { defaultDoraConfig } from "../../../src/config/dora-config.js";
import type { DoraConfig } from "../../../src/config/dora-config.js";
import { defaultRepoConfig } from "../../../src/config/repo-config.js";
import type { RepoConfigCache } from "../../../src/github/repo-config-cache.js";
import { computeDoraByEnvironment } from "../../../src/dora/index.js";
import { backfillRepository } from "../../../src/github/backfill.js";
import { DoraCapture } from "../../../src/github/dora-capture.js";
import { DoraBatchCapture } from "../../../src/github/dora-batch-capture.js";
import { DeliveryPipeline } from "../../../src/github/delivery-pipeline.js";
import { loadDoraInput } from "../../../src/store/dora-records.js";
import type { PrismaClient } from "../../../src/store/prisma.js";
import { TEST_APP_ID, TEST_PRIVATE_KEY, TEST_WEBHOOK_SECRET } from "../../support/github-app.js";
import { TestOctokit } from "../../support/service.js";
import { INSTALLATION_ID, REPO } from "./fake-github.js";
import type { Delivery, FakeRepo } from "./fake-github.js";

export const silent = pino({ level: "silent" });

export function fixedConfig(dora: DoraConfig = defaultDoraConfig): Pick<RepoConfigCache, "get" | "invalidate"> & { invalidated: string[] } {
  const invalidated: string[] = [];
  return {
    invalidated,
    get: async () => ({ ok: true as const, config: { ...defaultRepoConfig, dora }, found: true }),
    invalidate: (owner: string, repo: string) => void invalidated.push(`${owner}/${repo}`),
  };
}

/** A Probot with the app loaded, and the worker's pipeline around it (batch capture, then the handlers). */
export type CapturingProbot = Probot & { pipeline: DeliveryPipeline };

export async function probotWithCapture(prisma: PrismaClient, config = fixedConfig()): Promise<CapturingProbot> {
  const probot = new Probot({ appId: TEST_APP_ID, privateKey: TEST_PRIVATE_KEY, secret: TEST_WEBHOOK_SECRET, Octokit: TestOctokit, log: silent });
  await probot.load((app: Probot) => {
    iactBotApp({ log: silent, prisma, repoConfig: config, dora: { installBackfillDays: 30 } })(app);
  });
  const capture = new DoraBatchCapture({ prisma, log: silent, repoConfig: config, writer: new DoraCapture(prisma, silent), octokitFor: (id) => probot.auth(id) });
  return Object.assign(probot, { pipeline: new DeliveryPipeline({ probot, repoConfig: config, capture, checks: false }) });
}

let deliverySerial = 0;

function withIds(deliveries: readonly Delivery[]) {
  return deliveries.map((delivery) => {
    deliverySerial += 1;
    return { deliveryId: `delivery-${deliverySerial}`, event: delivery.event, payload: delivery.payload as Record<string, unknown> };
  });
}

/** Hands deliveries to the worker's pipeline one after the other (batches of one), each under a fresh delivery id. */
export async function receiveAll(probot: CapturingProbot, deliveries: readonly Delivery[]): Promise<void> {
  await receiveInBatches(probot, deliveries, [1]);
}

/**
 * Hands deliveries to the pipeline as the worker does, in claimed batches of
 * the given sizes (the last size repeats): capture for each whole batch,
 * then the handlers. Throws the first delivery's failure, if any.
 */
export async function receiveInBatches(probot: CapturingProbot, deliveries: readonly Delivery[], sizes: readonly number[]): Promise<void> {
  const all = withIds(deliveries);
  for (let start = 0, batch = 0; start < all.length; batch += 1) {
    const size = Math.max(1, sizes[Math.min(batch, sizes.length - 1)]!);
    const claimed = all.slice(start, start + size);
    start += size;
    const outcomes = await probot.pipeline.prepare(claimed);
    const failed = outcomes.find((outcome) => !outcome.ok);
    if (failed && !failed.ok) throw failed.error;
    for (const delivery of claimed) if (probot.pipeline.needsHandlers(delivery)) await probot.pipeline.handle(delivery);
  }
}

export async function installationOctokit(probot: Probot) {
  return probot.auth(INSTALLATION_ID);
}

export async function backfill(prisma: PrismaClient, probot: Probot, now: Date, days = 30): Promise<void> {
  const octokit = await installationOctokit(probot);
  await backfillRepository(octokit, new DoraCapture(prisma, silent), { repo: REPO, installationId: INSTALLATION_ID, days, config: defaultDoraConfig, now });
}

export const FROM = new Date("2024-03-01T00:00:00Z");
export const TO = new Date("2024-03-08T00:00:00Z");

export async function report(prisma: PrismaClient) {
  return computeDoraByEnvironment(await loadDoraInput(prisma, { repo: REPO, from: FROM, to: TO }), { from: FROM, to: TO });
}

/** Every DORA row that matters, without surrogate ids and bookkeeping times. */
export async function snapshot(prisma: PrismaClient) {
  const deployments = await prisma.doraDeployment.findMany({ orderBy: { sourceKey: "asc" } });
  const keyOf = new Map(deployments.map((row) => [row.id, row.sourceKey]));
  const strip = <T extends { id: bigint }>(row: T) => {
    const { id: _id, ...rest } = row;
    return rest;
  };
  return {
    deployments: deployments.map((row) => {
      const { id: _id, changesComputedAt, ...rest } = row;
      return { ...rest, computed: changesComputedAt !== null };
    }),
    statuses: (await prisma.doraDeploymentStatus.findMany()).map((row) => ({ ...strip(row), deploymentId: keyOf.get(row.deploymentId) })).sort((a, b) => `${a.deploymentId}${a.statusKey}`.localeCompare(`${b.deploymentId}${b.statusKey}`)),
    changes: (await prisma.doraChange.findMany()).map((row) => ({ ...strip(row), deploymentId: keyOf.get(row.deploymentId) })).sort((a, b) => `${a.deploymentId}${a.sha}`.localeCompare(`${b.deploymentId}${b.sha}`)),
    pullRequests: (await prisma.doraPullRequest.findMany({ orderBy: { number: "asc" } })).map((row) => {
      const { id: _id, reviewsListedAt, ...rest } = row;
      return { ...rest, reviewsListed: reviewsListedAt !== null };
    }),
    incidents: (await prisma.doraIncident.findMany({ orderBy: { number: "asc" } })).map(strip),
  };
}

export function resetGitHub(repo: FakeRepo): void {
  nock.cleanAll();
  repo.intercept();
}
