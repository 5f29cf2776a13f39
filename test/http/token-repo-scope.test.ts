// Tokens restricted to repositories (`token create --repo owner/name` and/or
// `--owner org`): on the DORA routes they must name a repository they may
// read (400 without `repo`, 403 outside their list); they read the team's
// plan fields but never write team records; unrestricted tokens are unchanged.
import { beforeEach, describe, expect, it } from "vitest";
import { ApiTokens } from "../../src/http/auth/api-tokens.js";
import type { RunningService } from "../../src/service.js";
import { cli, CLI_TEST_TIMEOUT_MS } from "../support/cli.js";
import { serviceForAllTests } from "../support/service.js";
import { call, metricRecord } from "./api-client.js";
import { writeFixture } from "./dora-fixture.js";

interface MetricsBody {
  total_cycles: number;
  dora: { deployment_frequency: { deployments: number }; scope: { repo: string | null } };
}
interface EvidenceBody {
  deployments: Array<{ repo: string }>;
}
interface ErrorBody {
  error: string;
  details?: Array<{ field: string; message: string }>;
}

const routes = [
  ["/api/dora/metrics", ""],
  ["/api/dora/evidence", "figure=deployment_frequency&"],
] as const;

describe("API tokens restricted to repositories", () => {
  let service: RunningService;
  let tokens: ApiTokens;

  serviceForAllTests((started) => {
    service = started;
    tokens = new ApiTokens(started.prisma);
  });
  beforeEach(async () => {
    await writeFixture(service.prisma, new Date());
  });

  const get = (token: string, path: string) => call(service.url, "GET", path, { token });

  it.each(routes)("GET %s: a token restricted to acme/web reads acme/web, and only its records", async (path, prefix) => {
    const { token } = await tokens.create("web-team", "read", { repos: ["acme/web"], owners: [] });
    const answer = await get(token, `${path}?${prefix}repo=acme/web`);
    expect(answer.status).toBe(200);
    if (path === "/api/dora/metrics") {
      const body = answer.body as MetricsBody;
      expect(body.dora.scope.repo).toBe("acme/web");
      expect(body.dora.deployment_frequency.deployments).toBe(3);
    } else {
      const body = answer.body as EvidenceBody;
      expect(body.deployments).toHaveLength(3);
      expect(new Set(body.deployments.map((deployment) => deployment.repo))).toEqual(new Set(["acme/web"]));
    }
  });

  it.each(routes)("GET %s: a restricted token asking for another repository is refused with 403 naming it", async (path, prefix) => {
    const { token } = await tokens.create("web-team", "read", { repos: ["acme/web"], owners: [] });
    const answer = await get(token, `${path}?${prefix}repo=acme/api`);
    expect(answer.status).toBe(403);
    expect((answer.body as ErrorBody).error).toBe("This token may not read acme/api: it is restricted to acme/web");
  });

  it.each(routes)("GET %s: a restricted token without repo is refused with 400 saying to name one of its repositories", async (path, prefix) => {
    const { token } = await tokens.create("web-team", "read", { repos: ["acme/web", "acme/docs"], owners: [] });
    const answer = await get(token, `${path}?${prefix}days=30`);
    expect(answer.status).toBe(400);
    const body = answer.body as ErrorBody;
    expect(body.error).toBe("This token is restricted to acme/web and acme/docs: pass repo=owner/name naming one of them");
    expect(body.details).toEqual([{ field: "repo", message: "is required for a token restricted to repositories" }]);
  });

  it("an owner restriction reads every repository of that owner, compared case-insensitively as GitHub does, and no other", async () => {
    const { token } = await tokens.create("acme-org", "read", { repos: [], owners: ["acme"] });
    const api = await get(token, "/api/dora/metrics?repo=acme/api");
    expect(api.status).toBe(200);
    expect((api.body as MetricsBody).dora.deployment_frequency.deployments).toBe(1);
    expect((await get(token, "/api/dora/metrics?repo=ACME/Web")).status).toBe(200);
    const other = await get(token, "/api/dora/evidence?figure=lead_time&repo=other/app");
    expect(other.status).toBe(403);
    expect((other.body as ErrorBody).error).toBe("This token may not read other/app: it is restricted to every repository of acme");
  });

  it("a repository named outright and an owner combine", async () => {
    const { token } = await tokens.create("mixed", "read", { repos: ["other/app"], owners: ["acme"] });
    expect((await get(token, "/api/dora/metrics?repo=other/app")).status).toBe(200);
    expect((await get(token, "/api/dora/metrics?repo=acme/api")).status).toBe(200);
    expect((await get(token, "/api/dora/metrics?repo=other/secret")).status).toBe(403);
  });

  it("an unrestricted token is unchanged: every repository without repo, any repo with it", async () => {
    const { token } = await tokens.create("everything", "read");
    const all = await get(token, "/api/dora/metrics");
    expect(all.status).toBe(200);
    expect((all.body as MetricsBody).dora.deployment_frequency.deployments).toBe(4);
    expect((await get(token, "/api/dora/evidence?figure=deployment_frequency")).status).toBe(200);
    expect((await get(token, "/api/dora/metrics?repo=other/app")).status).toBe(200);
  });

  it("team records belong to no repository: a restricted token reads the plan fields but a restricted write token cannot POST", async () => {
    const unrestricted = await tokens.create("ci", "write");
    expect((await call(service.url, "POST", "/api/dora/metrics", { token: unrestricted.token, body: metricRecord() })).status).toBe(201);

    const restricted = await tokens.create("web-ci", "write", { repos: ["acme/web"], owners: [] });
    const read = await get(restricted.token, "/api/dora/metrics?repo=acme/web");
    expect(read.status).toBe(200);
    expect((read.body as MetricsBody).total_cycles).toBe(1);
    for (const path of ["/api/dora/metrics", "/api/dora/metrics/create/"]) {
      const answer = await call(service.url, "POST", path, { token: restricted.token, body: metricRecord({ cycle_id: "restricted" }) });
      expect(answer.status).toBe(403);
      expect((answer.body as ErrorBody).error).toMatch(/^This token is restricted to acme\/web; POST \/api\/dora\/metrics.* needs an unrestricted token$/);
    }
    expect(await service.prisma.teamMetric.count()).toBe(1);
  });

  it("a stored restriction that cannot be read fails closed: no repository, never every one", async () => {
    const { token } = await tokens.create("damaged", "read", { repos: ["acme/web"], owners: [] });
    await service.prisma.apiToken.update({ where: { name: "damaged" }, data: { repoScope: { repos: "acme/web" } } });
    expect((await get(token, "/api/dora/metrics")).status).toBe(400);
    expect((await get(token, "/api/dora/metrics?repo=acme/web")).status).toBe(403);
  });

  it("the OpenAPI document names the 400 and 403 answers of restricted tokens", async () => {
    const document = (await call(service.url, "GET", "/api/openapi.json")).body as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    for (const path of ["/api/dora/metrics", "/api/dora/evidence"]) {
      expect(document.paths[path]!.get!.responses["403"]!.description).toMatch(/restricted to repositories/);
      expect(document.paths[path]!.get!.responses["400"]!.description).toMatch(/`repo` is missing/);
    }
    expect(document.paths["/api/dora/metrics"]!.post!.responses["403"]!.description).toMatch(/only an unrestricted token writes them/);
  });

  it("through the real CLI: `token create --repo` makes a restricted token that `token list` shows and the API enforces", async () => {
    const created = await cli("token", "create", "--name", "cli-web", "--scope", "read", "--repo", "acme/web", "--repo", "acme/docs", "--owner", "widgets");
    const token = created.stdout.trim();
    expect(token).toMatch(/^iact_[\w-]{43}$/);
    expect(created.stderr).toMatch(/restricted to acme\/web, acme\/docs and every repository of widgets/);

    const unrestricted = await cli("token", "create", "--name", "cli-all", "--scope", "read");
    expect(unrestricted.stderr).toMatch(/every repository/);

    const listed = await cli("token", "list");
    expect(listed.stdout).toMatch(/cli-web\tread\tiact_\S+\trepos: acme\/web,acme\/docs,widgets\/\*\t/);
    expect(listed.stdout).toMatch(/cli-all\tread\tiact_\S+\trepos: all\t/);

    expect((await get(token, "/api/dora/metrics?repo=acme/web")).status).toBe(200);
    expect((await get(token, "/api/dora/metrics?repo=widgets/anything")).status).toBe(200);
    expect((await get(token, "/api/dora/metrics?repo=acme/api")).status).toBe(403);
    expect((await get(token, "/api/dora/metrics")).status).toBe(400);
  }, CLI_TEST_TIMEOUT_MS);

  it("through the real CLI: a malformed --repo is refused with exit code 1 and no token is made", async () => {
    expect(await cli("token", "create", "--name", "bad", "--repo", "just-a-name")).toMatchObject({ code: 1, stderr: expect.stringMatching(/--repo must be owner\/name/) });
    expect(await service.prisma.apiToken.count()).toBe(0);
  }, CLI_TEST_TIMEOUT_MS);
});
