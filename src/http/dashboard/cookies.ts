// Reading and writing the dashboard's cookies: httpOnly, SameSite=Lax,
// Path=/dashboard, Secure when the request came over TLS (or, with
// IACT_TRUST_PROXY, when the proxy in front says X-Forwarded-Proto: https).
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

export const SESSION_COOKIE = "iact_session";
export const STATE_COOKIE = "iact_oauth_state";
export const CSRF_COOKIE = "iact_csrf";
export const LANGUAGE_COOKIE = "iact_lang";

export function readCookies(request: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator < 1) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    try {
      if (!cookies.has(name)) cookies.set(name, decodeURIComponent(value));
    } catch {
      // A malformed escape: the cookie is ignored, as if absent.
    }
  }
  return cookies;
}

export function cameOverTls(request: IncomingMessage, trustProxy: boolean): boolean {
  if ((request.socket as Partial<TLSSocket>).encrypted) return true;
  const forwarded = request.headers["x-forwarded-proto"];
  return trustProxy && typeof forwarded === "string" && forwarded.split(",")[0]?.trim() === "https";
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds; 0 deletes the cookie. Omitted: a browser-session cookie. */
  maxAgeSeconds?: number;
  /** false only for the language choice, which holds nothing secret. */
  httpOnly?: boolean;
}

export function cookieHeader(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/dashboard", "SameSite=Lax"];
  if (options.httpOnly !== false) parts.push("HttpOnly");
  if (options.secure) parts.push("Secure");
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join("; ");
}
