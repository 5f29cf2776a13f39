import { describe, expect, it } from "vitest";
import { DashboardSessions, deleteExpiredSessions, hashSessionId } from "../../src/store/dashboard-sessions.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { prismaForAllTests } from "../support/prisma.js";

let prisma: PrismaClient;
prismaForAllTests((client) => (prisma = client));

const HOUR = 3_600_000;
const at = new Date("2026-11-29T10:00:00Z");
const user = { userLogin: "octocat", userId: 7, repositories: [{ fullName: "acme/web", installationId: 11 }] };

describe("dashboard sessions", () => {
  it("finds a session by its id until it expires, storing only the id's SHA-256", async () => {
    const sessions = new DashboardSessions(prisma, 8 * HOUR);
    const { sessionId, session } = await sessions.create(user, at);
    expect(sessionId).toMatch(/^[0-9a-f]{64}$/);
    expect(session.csrfToken).toMatch(/^[0-9a-f]{64}$/);
    expect(session.csrfToken).not.toBe(sessionId);
    const [row] = await prisma.dashboardSession.findMany();
    expect(row!.idHash).toBe(hashSessionId(sessionId));
    expect(row!.idHash).not.toBe(sessionId);
    expect(await sessions.find(sessionId, new Date(at.getTime() + 8 * HOUR - 1))).toEqual({ ...user, csrfToken: session.csrfToken, expiresAt: new Date(at.getTime() + 8 * HOUR) });
    expect(await sessions.find(sessionId, new Date(at.getTime() + 8 * HOUR))).toBeUndefined();
    expect(await sessions.find(row!.idHash, at)).toBeUndefined();
  });

  it("delete ends a session; deleteExpiredSessions removes the expired ones only", async () => {
    const short = new DashboardSessions(prisma, HOUR);
    const long = new DashboardSessions(prisma, 10 * HOUR);
    const ended = await short.create(user, at);
    const expired = await short.create(user, at);
    const live = await long.create(user, at);
    await short.delete(ended.sessionId);
    expect(await short.find(ended.sessionId, at)).toBeUndefined();
    expect(await deleteExpiredSessions(prisma, new Date(at.getTime() + 2 * HOUR))).toBe(1);
    expect((await prisma.dashboardSession.findMany()).map((row) => row.idHash)).toEqual([hashSessionId(live.sessionId)]);
    expect(await long.find(expired.sessionId, at)).toBeUndefined();
  });
});
