// The request id an API caller sends (X-Request-Id), when it is well-formed:
// it is written into the audit log, so only a short token of safe characters
// is taken; anything else is ignored rather than trusted.
import type { IncomingHttpHeaders } from "node:http";

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

export function callerRequestId(headers: IncomingHttpHeaders): string | null {
  return wellFormedHeader(headers, "x-request-id");
}

/** A webhook's X-GitHub-Delivery, when well-formed: the request id of its intake's log lines. */
export function githubDeliveryId(headers: IncomingHttpHeaders): string | null {
  return wellFormedHeader(headers, "x-github-delivery");
}

function wellFormedHeader(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text && WELL_FORMED.test(text) ? text : null;
}
