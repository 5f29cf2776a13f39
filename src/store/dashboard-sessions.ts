// Dashboard sessions in MySQL (the plan's SESSION_ENGINE rule: sessions in the
// database). The cookie carries a random id; the table keys the row by the
// id's SHA-256, so a copy of the table cannot be replayed as a cookie.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "./prisma.js";

/** A repository the signed-in user may see, and the installation of the app that holds it. */
export interface PermittedRepository {
  fullName: string;
  installationId: number;
}

export interface DashboardSession {
  userLogin: string;
  userId: number;
  csrfToken: string;
  repositories: PermittedRepository[];
  expiresAt: Date;
}

export interface NewSession {
  userLogin: string;
  userId: number;
  repositories: PermittedRepository[];
}

export function hashSessionId(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

/** A 256-bit random token, hex. */
export function randomToken(): string {
  return randomBytes(32).toString("hex");
}

export class DashboardSessions {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly lifetimeMs: number,
  ) {}

  /** Stores a new session; returns the id for the cookie (only its hash is stored) and the session. */
  async create(session: NewSession, now: Date): Promise<{ sessionId: string; session: DashboardSession }> {
    const sessionId = randomToken();
    const csrfToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.lifetimeMs);
    await this.prisma.dashboardSession.create({
      data: {
        idHash: hashSessionId(sessionId),
        userLogin: session.userLogin,
        userId: BigInt(session.userId),
        csrfToken,
        repositories: session.repositories.map((repository) => ({ full_name: repository.fullName, installation_id: repository.installationId })),
        createdAt: now,
        expiresAt,
      },
    });
    return { sessionId, session: { ...session, csrfToken, expiresAt } };
  }

  /** The live session of a cookie's id, or undefined when unknown or expired. */
  async find(sessionId: string, now: Date): Promise<DashboardSession | undefined> {
    const row = await this.prisma.dashboardSession.findUnique({ where: { idHash: hashSessionId(sessionId) } });
    if (!row || row.expiresAt.getTime() <= now.getTime()) return undefined;
    const stored = row.repositories as Array<{ full_name: string; installation_id: number }>;
    return {
      userLogin: row.userLogin,
      userId: Number(row.userId),
      csrfToken: row.csrfToken,
      repositories: stored.map((repository) => ({ fullName: repository.full_name, installationId: repository.installation_id })),
      expiresAt: row.expiresAt,
    };
  }

  /** Sign-out: the row is gone, so the cookie is worthless even if kept. */
  async delete(sessionId: string): Promise<void> {
    await this.prisma.dashboardSession.deleteMany({ where: { idHash: hashSessionId(sessionId) } });
  }
}

/** Removes every session expired at `now`; returns how many. For the maintenance schedule. */
export async function deleteExpiredSessions(prisma: PrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.dashboardSession.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
