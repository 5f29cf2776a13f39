// GitHub's OAuth web flow and the user-to-server API the dashboard reads, as
// a real local HTTP server, reached through GHE_HOST=127.0.0.1:<port> (so the
// browser itself can be sent to its authorize page, which nock cannot fake):
//   GET  /login/oauth/authorize       redirects straight back, with a code and the state
//   POST /login/oauth/access_token    the code -> a user-to-server token
//   GET  /api/v3/user                 the signed-in user
//   GET  /api/v3/user/installations   the app's installations the user can reach
//   GET  /api/v3/user/installations/{id}/repositories
// Bodies follow GitHub's published shapes (@octokit/openapi-types), trimmed to
// the fields the dashboard reads plus the ones that identify the object.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_CLIENT_ID = "Iv1.fakeclientid0001";
export const FAKE_CLIENT_SECRET = "fake-client-secret-0123456789abcdef";

export interface FakeUser {
  login: string;
  id: number;
  /** installation id -> the full names of the repositories the user can access in it. */
  installations: Record<number, string[]>;
}

export class FakeGitHubOAuth {
  private server: http.Server | undefined;
  private readonly codes = new Map<string, FakeUser>();
  private readonly tokens = new Map<string, FakeUser>();
  /** Who the next authorize request signs in as. */
  user: FakeUser = { login: "octocat", id: 1, installations: {} };
  /** Every request seen, "METHOD path", for assertions. */
  readonly requests: string[] = [];
  /** When set, the user API answers this status (a GitHub outage: 502, 503). */
  apiDown: number | undefined;

  /** Every token issued so far stops working (revoked by the user, or expired): 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      void this.answer(request, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  /** host:port, for GHE_HOST. */
  get host(): string {
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", `http://${this.host}`);
    this.requests.push(`${request.method} ${url.pathname}`);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && url.pathname === "/login/oauth/authorize") {
      if (url.searchParams.get("client_id") !== FAKE_CLIENT_ID) return json(404, { message: "Not Found" });
      const code = randomBytes(10).toString("hex");
      this.codes.set(code, this.user);
      const back = new URL(url.searchParams.get("redirect_uri") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      response.writeHead(302, { location: back.toString() });
      response.end();
      return;
    }
    if (request.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { client_id?: string; client_secret?: string; code?: string };
      const user = body.code ? this.codes.get(body.code) : undefined;
      if (body.client_id !== FAKE_CLIENT_ID || body.client_secret !== FAKE_CLIENT_SECRET || !user) {
        return json(200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired.", error_uri: "https://docs.github.com/apps/troubleshooting" });
      }
      this.codes.delete(body.code!);
      const token = `ghu_${randomBytes(18).toString("hex")}`;
      this.tokens.set(token, user);
      return json(200, { access_token: token, token_type: "bearer", scope: "" });
    }
    if (this.apiDown !== undefined) return json(this.apiDown, { message: "Server Error" });
    const user = this.tokens.get((request.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (!user) return json(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" });
    if (url.pathname === "/api/v3/user") return json(200, { login: user.login, id: user.id, node_id: `U_${user.id}`, type: "User", site_admin: false });
    if (url.pathname === "/api/v3/user/installations") {
      const installations = Object.keys(user.installations).map((id) => ({ id: Number(id), app_id: 1, target_type: "Organization", account: { login: "acme", id: 100 } }));
      return json(200, { total_count: installations.length, installations });
    }
    const repositories = /^\/api\/v3\/user\/installations\/(\d+)\/repositories$/.exec(url.pathname);
    if (repositories) {
      const names = user.installations[Number(repositories[1])];
      if (!names) return json(404, { message: "Not Found" });
      return json(200, {
        total_count: names.length,
        repositories: names.map((fullName, index) => ({ id: index + 1, name: fullName.split("/")[1], full_name: fullName, private: true, owner: { login: fullName.split("/")[0] } })),
      });
    }
    json(404, { message: "Not Found" });
  }
}

/** The env that turns the dashboard on against `fake`. */
export function dashboardEnv(fake: FakeGitHubOAuth): Record<string, string> {
  return { GITHUB_CLIENT_ID: FAKE_CLIENT_ID, GITHUB_CLIENT_SECRET: FAKE_CLIENT_SECRET, GHE_HOST: fake.host, GHE_PROTOCOL: "http" };
}
