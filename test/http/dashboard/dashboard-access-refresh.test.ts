// A dashboard session follows the user's access on GitHub while it lasts:
// with IACT_DASHBOARD_ACCESS_REFRESH_MINUTES=0 every page re-reads the
// user's repositories with the user's token. A repository taken away stops
// showing, a token GitHub refuses ends the session, and GitHub down keeps
// the last list. (The default's 10-minute wait: dashboard-pages.test.ts.)
import { beforeEach, describe, expect, it } from "vitest";
import type { RunningService } from "../../../src/service.js";
import { DashboardClient } from "../../support/dashboard-client.js";
import type { FakeUser } from "../../support/fake-github-oauth.js";
import { dashboardServiceForAllTests } from "../../support/dashboard-service.js";

let service: RunningService;
const fake = dashboardServiceForAllTests((started) => (service = started), { IACT_DASHBOARD_ACCESS_REFRESH_MINUTES: "0" });

let user: FakeUser;
let client: DashboardClient;
beforeEach(async () => {
  fake.apiDown = undefined;
  user = { login: "octocat", id: 7, installations: { 1: ["acme/web", "acme/api"] } };
  fake.user = user;
  client = new DashboardClient(service.url);
  await client.signIn();
});

describe("access refresh", () => {
  it("a repository taken away on GitHub stops showing at the next page", async () => {
    expect((await client.get("/dashboard/repos/acme/api")).status).toBe(200);
    user.installations = { 1: ["acme/web"] };
    expect((await client.get("/dashboard/repos/acme/api")).status).toBe(404);
    expect((await client.get("/dashboard/repos/acme/web")).status).toBe(200);
    expect((await client.get("/dashboard")).text).not.toContain("acme/api");
    const [row] = await service.prisma.dashboardSession.findMany();
    expect(row!.repositories).toEqual([{ full_name: "acme/web", installation_id: 1 }]);
  });

  it("a token GitHub refuses ends the session: back to sign-in, and the row is gone", async () => {
    fake.revokeTokens();
    const answer = await client.get("/dashboard");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("/dashboard/sign-in");
    expect(await service.prisma.dashboardSession.count()).toBe(0);
  });

  it("GitHub down keeps the last list and serves the page", async () => {
    fake.apiDown = 502;
    const answer = await client.get("/dashboard/repos/acme/api");
    expect(answer.status).toBe(200);
    expect(await service.prisma.dashboardSession.count()).toBe(1);
    fake.apiDown = undefined;
    user.installations = {};
    expect((await client.get("/dashboard/repos/acme/api")).status).toBe(404);
  });
});
