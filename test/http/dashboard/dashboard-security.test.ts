// The dashboard's access rules over real HTTP (issue 10, item 4): sessions,
// CSRF, repositories the user cannot see, OAuth state, and escaping of every
// stored or reflected text. GitHub's OAuth is the local fake of
// test/support/fake-github-oauth.ts, reached through GHE_HOST.
import { beforeEach, describe, expect, it } from "vitest";
import { hashSessionId } from "../../../src/store/dashboard-sessions.js";
import type { RunningService } from "../../../src/service.js";
import { dashboardServiceForAllTests } from "../../support/dashboard-service.js";
import { startTestService } from "../../support/service.js";
import { deployment } from "../dora-fixture.js";
import { DashboardClient } from "../../support/dashboard-client.js";

const SCRIPT = `<script>alert(1)</script>`;
const HOSTILE_REPO = `acme/x"><img src=x onerror=alert(1)>`;
const DAY = 86_400_000;

let service: RunningService;
const fake = dashboardServiceForAllTests((started) => (service = started), { IACT_TRUST_PROXY: "true" });

beforeEach(() => {
  fake.user = { login: "octocat", id: 7, installations: { 11: ["acme/web"], 12: ["acme/api"] } };
});

const PAGES = ["/dashboard", "/dashboard/records", "/dashboard/operations", "/dashboard/repos/acme/web", "/dashboard/repos/acme/web/evidence/lead_time"];

describe("sessions", () => {
  it.each(PAGES)("GET %s without a session redirects to sign-in", async (path) => {
    const answer = await new DashboardClient(service.url).get(path);
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/dashboard/sign-in");
  });

  it("refuses an expired session, and a made-up session id, like no session", async () => {
    const client = new DashboardClient(service.url);
    await client.signIn();
    expect((await client.get("/dashboard")).status).toBe(200);
    await service.prisma.dashboardSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const path of PAGES) expect((await client.get(path)).headers.get("location")).toBe("/dashboard/sign-in");
    client.cookies.set("iact_session", "f".repeat(64));
    expect((await client.get("/dashboard")).status).toBe(303);
  });

  it("stores only the SHA-256 of the session id, and sign-out deletes the row", async () => {
    const client = new DashboardClient(service.url);
    await client.signIn();
    const sessionId = client.cookies.get("iact_session")!;
    const rows = await service.prisma.dashboardSession.findMany();
    expect(rows.map((row) => row.idHash)).toEqual([hashSessionId(sessionId)]);
    expect(JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toContain(sessionId);
    const signOut = await client.post("/dashboard/sign-out", { csrf: client.csrf });
    expect(signOut.status).toBe(303);
    expect(signOut.headers.get("location")).toBe("/dashboard/sign-in");
    expect(await service.prisma.dashboardSession.count()).toBe(0);
    // The old cookie is worthless even if a copy was kept.
    const replay = new DashboardClient(service.url);
    replay.cookies.set("iact_session", sessionId);
    expect((await replay.get("/dashboard")).status).toBe(303);
  });

  it("sets the cookies httpOnly and SameSite=Lax, and Secure when a trusted proxy says the request came over TLS", async () => {
    const start = await new DashboardClient(service.url).get("/dashboard/oauth/start");
    const plain = start.headers.getSetCookie()[0]!;
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Lax/);
    expect(plain).not.toMatch(/Secure/);
    const behindTls = await new DashboardClient(service.url).get("/dashboard/oauth/start", { "x-forwarded-proto": "https" });
    expect(behindTls.headers.getSetCookie()[0]).toMatch(/; Secure/);
    expect(behindTls.headers.get("location")).toContain(encodeURIComponent("https://"));
  });
});

describe("CSRF", () => {
  it("refuses sign-out with a forged, missing or cookie-only token (403) and keeps the session", async () => {
    const client = new DashboardClient(service.url);
    await client.signIn();
    expect((await client.post("/dashboard/sign-out", { csrf: "0".repeat(64) })).status).toBe(403);
    expect((await client.post("/dashboard/sign-out", {})).status).toBe(403);
    // A second signed-in user's valid token is not this session's.
    const other = new DashboardClient(service.url);
    await other.signIn();
    expect((await client.post("/dashboard/sign-out", { csrf: other.csrf })).status).toBe(403);
    // The right token in the form but a cookie that does not match it: refused too.
    const token = client.csrf;
    client.cookies.set("iact_csrf", "1".repeat(64));
    expect((await client.post("/dashboard/sign-out", { csrf: token })).status).toBe(403);
    expect(await service.prisma.dashboardSession.count()).toBe(2);
    expect((await client.get("/dashboard")).status).toBe(200);
  });
});

describe("repositories", () => {
  it("lists only the repositories the user can access in the app's installations", async () => {
    const client = new DashboardClient(service.url);
    await client.signIn();
    const list = await client.get("/dashboard");
    expect(list.text).toContain("acme/web");
    expect(list.text).toContain("acme/api");
    fake.user = { login: "hubot", id: 8, installations: { 12: ["acme/api"] } };
    const other = new DashboardClient(service.url);
    await other.signIn();
    const otherList = await other.get("/dashboard");
    expect(otherList.text).toContain("acme/api");
    expect(otherList.text).not.toContain("acme/web");
  });

  it("answers 404, exactly as for a repository that does not exist, for one the user cannot see", async () => {
    fake.user = { login: "hubot", id: 8, installations: { 12: ["acme/api"] } };
    const client = new DashboardClient(service.url);
    await client.signIn();
    await deployment(service.prisma, "acme/web", "production", new Date(Date.now() - DAY), [{ hoursBefore: 2 }]);
    const hidden = await client.get("/dashboard/repos/acme/web");
    const missing = await client.get("/dashboard/repos/acme/nothing-here");
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.text.replaceAll("acme/web", "")).toBe(missing.text.replaceAll("acme/nothing-here", ""));
    expect((await client.get("/dashboard/repos/acme/web/evidence/deployment_frequency")).status).toBe(404);
    expect((await client.get("/dashboard/repos/ACME/API")).status).toBe(200);
  });
});

describe("OAuth state", () => {
  it("refuses a callback whose state does not match this browser's, or has none, and creates no session", async () => {
    const client = new DashboardClient(service.url);
    const start = await client.get("/dashboard/oauth/start");
    const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const callback = new URL(authorize.headers.get("location")!);
    callback.searchParams.set("state", "forged-state");
    const forged = await client.get(callback.toString());
    expect(forged.status).toBe(400);
    expect(forged.text).toContain("state does not match");
    const stranger = new DashboardClient(service.url);
    expect((await stranger.get(authorize.headers.get("location")!)).status).toBe(400);
    expect(await service.prisma.dashboardSession.count()).toBe(0);
  });

  it("refuses a code GitHub does not accept with 502 and a message", async () => {
    const client = new DashboardClient(service.url);
    const start = await client.get("/dashboard/oauth/start");
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const answer = await client.get(`/dashboard/oauth/callback?code=not-a-code&state=${state}`);
    expect(answer.status).toBe(502);
    expect(answer.text).toContain("bad_verification_code");
  });
});

describe("escaping", () => {
  it("shows script-bearing repository names, commit messages, incident titles and record fields as text", async () => {
    fake.user = { login: `o${SCRIPT}`, id: 9, installations: { 11: [HOSTILE_REPO] } };
    const client = new DashboardClient(service.url);
    await client.signIn();
    const at = new Date(Date.now() - 2 * DAY);
    await deployment(service.prisma, HOSTILE_REPO, "production", at, [{ hoursBefore: 3, message: `fix: ${SCRIPT}` }]);
    await service.prisma.doraIncident.create({
      data: { repo: HOSTILE_REPO, number: 1, installationId: 11n, title: `down ${SCRIPT}`, labels: ["incident"], isIncident: true, openedAt: at, closedAt: new Date(at.getTime() + 3_600_000), githubUpdatedAt: at },
    });
    await service.prisma.teamMetric.create({ data: { cycleId: `c${SCRIPT}`.slice(0, 50), featureId: `f${SCRIPT}`, phaseName: "testing", decision: "go", durationSeconds: "1.00", metadata: {} } });
    const repoPath = `/dashboard/repos/${HOSTILE_REPO.split("/").map(encodeURIComponent).join("/")}`;
    const pages = [
      await client.get("/dashboard"),
      await client.get(repoPath),
      await client.get(`${repoPath}/evidence/lead_time`),
      await client.get(`${repoPath}/evidence/time_to_restore`),
      await client.get(`/dashboard/records?q=${encodeURIComponent(SCRIPT)}`),
      await client.get(`/dashboard/records`),
      await client.get(`/dashboard/nowhere${encodeURIComponent(SCRIPT)}`),
    ];
    for (const page of pages) {
      expect(page.text).not.toContain("<script>");
      expect(page.text).not.toContain("<img");
    }
    expect(pages[0]!.text).toContain("&lt;script&gt;");
    expect(pages[1]!.status).toBe(200);
    expect(pages[2]!.text).toContain("fix: &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(pages[3]!.text).toContain("down &lt;script&gt;");
    expect(pages[4]!.text).toContain(`value="&lt;script&gt;alert(1)&lt;/script&gt;"`);
    expect(pages[5]!.text).toContain("f&lt;script&gt;");
  });

  it("serves every page under a CSP that allows no script", async () => {
    const answer = await new DashboardClient(service.url).get("/dashboard/sign-in");
    expect(answer.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(answer.headers.get("content-security-policy")).not.toMatch(/script-src/);
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });
});

describe("without OAuth credentials", () => {
  it("answers every dashboard page 503 saying which settings turn it on", async () => {
    const off = await startTestService();
    try {
      for (const path of ["/dashboard", "/dashboard/sign-in", "/dashboard/oauth/start"]) {
        const answer = await new DashboardClient(off.url).get(path);
        expect(answer.status).toBe(503);
        expect(answer.text).toContain("GITHUB_CLIENT_ID");
      }
    } finally {
      await off.stop();
    }
  });
});
