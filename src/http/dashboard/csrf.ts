// CSRF protection of the dashboard's forms: a double submit bound to the
// session. The session row holds a random token; sign-in also puts it in a
// cookie, and every form carries it in a hidden field. A POST is accepted
// only when the field, the cookie and the session's token are all equal,
// compared in constant time.
import { timingSafeEqual } from "node:crypto";

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a.length === 0) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function csrfAccepted(formToken: string | undefined, cookieToken: string | undefined, sessionToken: string): boolean {
  return sameToken(formToken, sessionToken) && sameToken(cookieToken, sessionToken);
}
