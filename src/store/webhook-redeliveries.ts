// The record of redeliveries asked of GitHub (table webhook_redeliveries),
// and which guids the inbox already holds. A guid is claimed before the
// request and released only when the request failed, so each missed
// delivery is asked for at most once.
import type { PrismaClient } from "./prisma.js";
import { isUniqueViolation } from "./prisma.js";

/** Rows per IN (...) list: long enough to be few queries, short enough for any server. */
const LOOKUP_CHUNK = 500;

export interface RedeliveryClaim {
  guid: string;
  hookDeliveryId: number;
  event: string;
  failedStatusCode: number;
}

async function chunked(guids: readonly string[], lookup: (chunk: string[]) => Promise<string[]>): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < guids.length; start += LOOKUP_CHUNK) {
    for (const guid of await lookup(guids.slice(start, start + LOOKUP_CHUNK))) found.add(guid);
  }
  return found;
}

export function guidsInInbox(prisma: PrismaClient, guids: readonly string[]): Promise<Set<string>> {
  return chunked(guids, async (chunk) =>
    (await prisma.webhookDelivery.findMany({ where: { deliveryId: { in: chunk } }, select: { deliveryId: true } })).map((row) => row.deliveryId),
  );
}

export function guidsRedelivered(prisma: PrismaClient, guids: readonly string[]): Promise<Set<string>> {
  return chunked(guids, async (chunk) => (await prisma.webhookRedelivery.findMany({ where: { guid: { in: chunk } }, select: { guid: true } })).map((row) => row.guid));
}

/** False when the guid was claimed already (by another run). */
export async function claimRedelivery(prisma: PrismaClient, claim: RedeliveryClaim, now = new Date()): Promise<boolean> {
  try {
    await prisma.webhookRedelivery.create({ data: { ...claim, hookDeliveryId: BigInt(claim.hookDeliveryId), requestedAt: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The request was not made (GitHub refused or was unreachable): a later run may ask again. */
export async function releaseRedelivery(prisma: PrismaClient, guid: string): Promise<void> {
  await prisma.webhookRedelivery.deleteMany({ where: { guid } });
}
