// Sign-in with GitHub through the app's own OAuth credentials (the web
// application flow), and the user-to-server reads that decide what a user
// may see: the app's installations the user can reach and, in each, the
// repositories the user can access. GitHub Enterprise Server aware: the
// authorize page and the token exchange are on the web host, the user API
// on the API host (<host>/api/v3).
import type { PermittedRepository } from "../../store/dashboard-sessions.js";

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** https://github.com, or <protocol>://<GHE_HOST>. */
  webUrl: string;
  /** https://api.github.com, or <protocol>://<GHE_HOST>/api/v3. */
  apiUrl: string;
}

export interface SignedInUser {
  login: string;
  id: number;
  repositories: PermittedRepository[];
}

export class OAuthError extends Error {
  override name = "OAuthError";

  /** GitHub's HTTP status, when it answered. */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** The token no longer works (revoked, expired, the app uninstalled for the user). */
  get tokenRefused(): boolean {
    return this.status === 401;
  }
}

/** Pages of 100 read per list at most: 5,000 installations or repositories. */
const MAX_PAGES = 50;

export function oauthSettings(clientId: string, clientSecret: string, gheHost: string | undefined, gheProtocol: string): OAuthSettings {
  if (!gheHost) return { clientId, clientSecret, webUrl: "https://github.com", apiUrl: "https://api.github.com" };
  const webUrl = `${gheProtocol}://${gheHost}`;
  return { clientId, clientSecret, webUrl, apiUrl: `${webUrl}/api/v3` };
}

export function authorizeUrl(settings: OAuthSettings, state: string, redirectUri: string): string {
  const url = new URL("/login/oauth/authorize", settings.webUrl);
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  url.searchParams.set("allow_signup", "false");
  return url.toString();
}

/** The user-to-server token for `code`; throws OAuthError when GitHub refuses it. */
export async function exchangeCode(settings: OAuthSettings, code: string, redirectUri: string): Promise<string> {
  const response = await fetch(new URL("/login/oauth/access_token", settings.webUrl), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ client_id: settings.clientId, client_secret: settings.clientSecret, code, redirect_uri: redirectUri }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (!response.ok || typeof body.access_token !== "string") {
    throw new OAuthError(`GitHub refused the sign-in code (${typeof body.error === "string" ? body.error : `HTTP ${response.status}`})`);
  }
  return body.access_token;
}

async function getJson<T>(settings: OAuthSettings, token: string, path: string): Promise<T> {
  const response = await fetch(`${settings.apiUrl}${path}`, {
    headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28", "user-agent": "iact-bot-dashboard" },
  });
  if (!response.ok) throw new OAuthError(`GitHub answered ${response.status} to GET ${path}`, response.status);
  return (await response.json()) as T;
}

async function allPages<T>(read: (page: number) => Promise<{ total_count: number; items: T[] }>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await read(page);
    items.push(...answer.items);
    if (answer.items.length < 100 || items.length >= answer.total_count) break;
  }
  return items;
}

/** Who signed in, and every repository of the app's installations that user can access. */
export async function readSignedInUser(settings: OAuthSettings, token: string): Promise<SignedInUser> {
  const user = await getJson<{ login: string; id: number }>(settings, token, "/user");
  const installations = await allPages(async (page) => {
    const answer = await getJson<{ total_count: number; installations: Array<{ id: number }> }>(settings, token, `/user/installations?per_page=100&page=${page}`);
    return { total_count: answer.total_count, items: answer.installations };
  });
  const repositories: PermittedRepository[] = [];
  for (const installation of installations) {
    const repos = await allPages(async (page) => {
      const answer = await getJson<{ total_count: number; repositories: Array<{ full_name: string }> }>(
        settings,
        token,
        `/user/installations/${installation.id}/repositories?per_page=100&page=${page}`,
      );
      return { total_count: answer.total_count, items: answer.repositories };
    });
    for (const repo of repos) repositories.push({ fullName: repo.full_name, installationId: installation.id });
  }
  repositories.sort((a, b) => a.fullName.localeCompare(b.fullName));
  return { login: user.login, id: user.id, repositories };
}
