// Dashboard sessions in MySQL (the plan's SESSION_ENGINE rule: sessions in the
// database). The cookie carries a random id; the table keys the row by the
// id's SHA-256, so a copy of the table cannot be replayed as a cookie.
//
// The user's GitHub token is kept so that the repositories the user may see
// are read again while the session lasts (access taken away on GitHub shows
// within minutes). It is sealed with AES-256-GCM under a key derived (HKDF)
// from the session id: the row alone, or a copy of the table, cannot open it.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
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
  /** When `repositories` was read from GitHub. */
  repositoriesReadAt: Date;
  /** The user's GitHub token, when the session has one that could be opened. */
  userToken?: string;
}

export interface NewSession {
  userLogin: string;
  userId: number;
  repositories: PermittedRepository[];
  userToken?: string;
}

const SEAL_INFO = "iact-bot dashboard user token";

function sealKey(sessionId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(sessionId, "utf8"), Buffer.alloc(0), SEAL_INFO, 32));
}

/** iv (12) | tag (16) | ciphertext. */
export function sealToken(sessionId: string, token: string): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(sessionId), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), sealed]));
}

/** The token, or undefined when `sealed` was not sealed under this session id (or was altered). */
export function openToken(sessionId: string, sealed: Uint8Array): string | undefined {
  const bytes = Buffer.from(sealed);
  if (bytes.length < 29) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealKey(sessionId), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function storedRepositories(repositories: readonly PermittedRepository[]) {
  return repositories.map((repository) => ({ full_name: repository.fullName, installation_id: repository.installationId }));
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
        repositories: storedRepositories(session.repositories),
        createdAt: now,
        expiresAt,
        repositoriesReadAt: now,
        ...(session.userToken ? { userTokenSealed: sealToken(sessionId, session.userToken) } : {}),
      },
    });
    return { sessionId, session: { ...session, csrfToken, expiresAt, repositoriesReadAt: now } };
  }

  /** The repositories read again from GitHub at `now`. */
  async updateRepositories(sessionId: string, repositories: readonly PermittedRepository[], now: Date): Promise<void> {
    await this.prisma.dashboardSession.updateMany({ where: { idHash: hashSessionId(sessionId) }, data: { repositories: storedRepositories(repositories), repositoriesReadAt: now } });
  }

  /** The live session of a cookie's id, or undefined when unknown or expired. */
  async find(sessionId: string, now: Date): Promise<DashboardSession | undefined> {
    const row = await this.prisma.dashboardSession.findUnique({ where: { idHash: hashSessionId(sessionId) } });
    if (!row || row.expiresAt.getTime() <= now.getTime()) return undefined;
    const stored = row.repositories as Array<{ full_name: string; installation_id: number }>;
    const userToken = row.userTokenSealed ? openToken(sessionId, row.userTokenSealed) : undefined;
    return {
      userLogin: row.userLogin,
      userId: Number(row.userId),
      csrfToken: row.csrfToken,
      repositories: stored.map((repository) => ({ fullName: repository.full_name, installationId: repository.installation_id })),
      expiresAt: row.expiresAt,
      repositoriesReadAt: row.repositoriesReadAt ?? row.createdAt,
      ...(userToken ? { userToken } : {}),
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
