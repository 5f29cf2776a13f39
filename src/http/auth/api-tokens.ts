// API bearer tokens: created by the CLI, shown once, stored as SHA-256.
// A token is 32 random bytes, so a fast hash is enough (no password
// stretching needed) and lookups stay a single indexed read.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../../store/prisma.js";
import { appendAuditIn } from "../../store/audit-log.js";
import { isUniqueViolation } from "../../store/prisma.js";
import { HttpError } from "../http-error.js";
import { repoRestrictionSchema } from "./principal.js";
import type { Authenticator, Principal, RepoRestriction, Scope } from "./principal.js";

const TOKEN_PREFIX = "iact_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface CreatedToken {
  id: number;
  name: string;
  scope: Scope;
  /** null: every repository. */
  restriction: RepoRestriction | null;
  token: string;
  /** null: does not expire. */
  expiresAt: Date | null;
}

export interface ListedToken {
  name: string;
  scope: string;
  prefix: string;
  restriction: RepoRestriction | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

/** The stored `repo_scope`; a value that is not a restriction fails closed (no repository), never open. */
function storedRestriction(value: unknown): RepoRestriction | null {
  if (value === null || value === undefined) return null;
  const parsed = repoRestrictionSchema.safeParse(value);
  return parsed.success ? parsed.data : { repos: [], owners: [] };
}

export class ApiTokens implements Authenticator {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * `restriction`: the repositories the token may read; null (default) for
   * every repository. `expiresAt`: null (default) for a token that does not expire.
   */
  async create(name: string, scope: Scope, restriction: RepoRestriction | null = null, actor = "cli", expiresAt: Date | null = null): Promise<CreatedToken> {
    if (!/^[\w.@-]{1,100}$/.test(name)) {
      throw new Error("Token name must be 1-100 letters, digits, '.', '_', '@' or '-'");
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    try {
      // The token and its audit entry are written together or not at all.
      const row = await this.prisma.$transaction(async (tx) => {
        const created = await tx.apiToken.create({
          data: {
            name,
            scope,
            tokenHash: hashToken(token),
            prefix: token.slice(0, 12),
            expiresAt,
            ...(restriction ? { repoScope: repoRestrictionSchema.parse(restriction) } : {}),
          },
        });
        await appendAuditIn(tx, {
          actor,
          action: "token.created",
          target: `token:${name}`,
          details: { scope, restriction, prefix: created.prefix, expires_at: expiresAt?.toISOString() ?? null },
        });
        return created;
      });
      return { id: row.id, name, scope, restriction, token, expiresAt };
    } catch (error) {
      if (isUniqueViolation(error)) throw new Error(`A token named "${name}" already exists; revoke it or choose another name`, { cause: error });
      throw error;
    }
  }

  /** Revokes a token by name; returns false when there is no live token of that name. */
  async revoke(name: string, actor = "cli"): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const result = await tx.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
      if (result.count === 0) return false;
      await appendAuditIn(tx, { actor, action: "token.revoked", target: `token:${name}` });
      return true;
    });
  }

  async list(): Promise<ListedToken[]> {
    const rows = await this.prisma.apiToken.findMany({
      select: { name: true, scope: true, prefix: true, repoScope: true, createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(({ repoScope, ...row }) => ({ ...row, restriction: storedRestriction(repoScope) }));
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match?.[1]) {
      throw new HttpError(401, "Missing bearer token: send 'Authorization: Bearer <token>' (create one with `iact-bot token create`)", undefined, {
        "www-authenticate": 'Bearer realm="iact-bot"',
      });
    }
    const row = await this.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(match[1]) } });
    if (!row || row.revokedAt) {
      throw new HttpError(401, "Invalid or revoked token", undefined, { "www-authenticate": 'Bearer realm="iact-bot", error="invalid_token"' });
    }
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      throw new HttpError(401, `Token expired at ${row.expiresAt.toISOString()}; create a new one with \`iact-bot token create\``, undefined, {
        "www-authenticate": 'Bearer realm="iact-bot", error="invalid_token"',
      });
    }
    // Recording last use must not slow or fail the request.
    void this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
    return {
      actor: `token:${row.name}`,
      scopes: row.scope === "write" ? new Set<Scope>(["read", "write"]) : new Set<Scope>(["read"]),
      restriction: storedRestriction(row.repoScope),
    };
  }
}
