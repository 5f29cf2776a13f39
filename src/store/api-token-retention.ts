// Removing API tokens that can never authenticate again: expired or revoked.
// Their hashes have no further use, and their history (created, revoked,
// removed) stays in the audit log, written in the same transaction.
import { appendAuditIn } from "./audit-log.js";
import type { PrismaClient } from "./prisma.js";

export interface TokenRemoval {
  /** Names removed (with dryRun: that would be removed). */
  tokens: string[];
}

export async function removeDeadTokens(prisma: PrismaClient, now: Date, options: { dryRun?: boolean; actor: string }): Promise<TokenRemoval> {
  const where = { OR: [{ revokedAt: { not: null } }, { expiresAt: { lte: now } }] };
  if (options.dryRun) return { tokens: (await prisma.apiToken.findMany({ where, select: { name: true }, orderBy: { name: "asc" } })).map((row) => row.name) };
  return prisma.$transaction(async (tx) => {
    const dead = await tx.apiToken.findMany({ where, select: { id: true, name: true, revokedAt: true, expiresAt: true }, orderBy: { name: "asc" } });
    if (dead.length === 0) return { tokens: [] };
    await tx.apiToken.deleteMany({ where: { id: { in: dead.map((row) => row.id) } } });
    await appendAuditIn(tx, {
      actor: options.actor,
      action: "tokens.removed",
      target: "api_tokens",
      details: { tokens: dead.map((row) => ({ name: row.name, revoked_at: row.revokedAt?.toISOString() ?? null, expires_at: row.expiresAt?.toISOString() ?? null })) },
    });
    return { tokens: dead.map((row) => row.name) };
  });
}
