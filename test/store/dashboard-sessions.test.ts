import { describe, expect, it } from "vitest";
import { DashboardSessions, deleteExpiredSessions, hashSessionId, openToken, sealToken } from "../../src/store/dashboard-sessions.js";
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
    expect(await sessions.find(sessionId, new Date(at.getTime() + 8 * HOUR - 1))).toEqual({ ...user, csrfToken: session.csrfToken, expiresAt: new Date(at.getTime() + 8 * HOUR), repositoriesReadAt: at });
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

  it("keeps the user's token sealed under the session id: the row alone cannot give it away", async () => {
    const sessions = new DashboardSessions(prisma, 8 * HOUR);
    const token = "ghu_0123456789abcdefghijklmnopqrstuvwxyzAB";
    const { sessionId } = await sessions.create({ ...user, userToken: token }, at);
    const [row] = await prisma.dashboardSession.findMany();
    const sealed = Buffer.from(row!.userTokenSealed!);
    expect(sealed.includes(Buffer.from(token))).toBe(false);
    expect(sealed.toString("latin1")).not.toContain("ghu_");
    expect((await sessions.find(sessionId, at))?.userToken).toBe(token);
    // Another session's id (or the stored hash) does not open it, nor does an altered byte.
    expect(openToken(row!.idHash, sealed)).toBeUndefined();
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(openToken(sessionId, altered)).toBeUndefined();
    expect(openToken(sessionId, sealToken(sessionId, "x"))).toBe("x");
  });

  it("updateRepositories replaces the list and the time it was read", async () => {
    const sessions = new DashboardSessions(prisma, 8 * HOUR);
    const { sessionId } = await sessions.create(user, at);
    const later = new Date(at.getTime() + HOUR);
    await sessions.updateRepositories(sessionId, [{ fullName: "acme/api", installationId: 12 }], later);
    expect(await sessions.find(sessionId, later)).toMatchObject({ repositories: [{ fullName: "acme/api", installationId: 12 }], repositoriesReadAt: later });
  });
});
