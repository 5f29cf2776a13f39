// A stored delivery's body back as a payload. The intake stores whatever
// GitHub signed, so this is where a body that cannot be read at all (bytes
// that are not UTF-8, text that is not a JSON object) is found out: the
// worker rejects such a delivery at once, since no retry can change its bytes.

export type StoredPayload = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function parseStoredPayload(body: Uint8Array): StoredPayload {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, reason: "payload is not UTF-8 text" };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `payload is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return { ok: false, reason: "payload is not a JSON object" };
  }
  return { ok: true, payload: payload as Record<string, unknown> };
}
