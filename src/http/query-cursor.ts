// The opaque page cursor of GET /api/data/query: where the last page ended,
// the window's end (so every page reads the same window) and a digest of the
// query it belongs to, as base64url JSON signed with HMAC-SHA256. A cursor
// that was altered, belongs to another query, or was signed by another key
// is refused; nothing in it reaches a query before it has been verified.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "../lib/canonical-json.js";

export interface PagePosition {
  /** Time of the last row returned. */
  at: Date;
  /** Its id in its store (a decimal BIGINT, or a Cassandra timeuuid). */
  id: string;
}

export interface CursorState {
  /** End of the window, fixed by the first page. */
  windowEnd: Date;
  position: PagePosition;
}

const ID_PATTERN = /^[0-9a-f-]{1,40}$/i;
const SIGNATURE_BYTES = 32;

export class QueryCursors {
  private readonly key: Buffer;

  /** `key`: the signing secret; one per process when not given (cursors then end with the process). */
  constructor(key?: string | Buffer) {
    this.key = key === undefined ? randomBytes(32) : Buffer.from(key);
  }

  /** Cursors every replica accepts: the key derived from a secret they all share (the webhook secret). */
  static derivedFrom(sharedSecret: string): QueryCursors {
    return new QueryCursors(createHmac("sha256", sharedSecret).update("iact-bot data query cursors").digest());
  }

  encode(query: Record<string, unknown>, state: CursorState): string {
    const body = Buffer.from(JSON.stringify({ e: state.windowEnd.getTime(), t: state.position.at.getTime(), i: state.position.id }));
    return `${body.toString("base64url")}.${this.sign(query, body).toString("base64url")}`;
  }

  /** The state in a cursor made by encode() for the same query, or null when it is not one. */
  decode(query: Record<string, unknown>, cursor: string): CursorState | null {
    const [bodyText, signatureText, extra] = cursor.split(".");
    if (!bodyText || !signatureText || extra !== undefined || !/^[\w-]+$/.test(bodyText) || !/^[\w-]+$/.test(signatureText)) return null;
    const body = Buffer.from(bodyText, "base64url");
    const signature = Buffer.from(signatureText, "base64url");
    if (signature.length !== SIGNATURE_BYTES || !timingSafeEqual(signature, this.sign(query, body))) return null;
    let fields: unknown;
    try {
      fields = JSON.parse(body.toString("utf8"));
    } catch {
      return null;
    }
    const { e, t, i } = (fields ?? {}) as { e?: unknown; t?: unknown; i?: unknown };
    if (!Number.isSafeInteger(e) || !Number.isSafeInteger(t) || typeof i !== "string" || !ID_PATTERN.test(i)) return null;
    return { windowEnd: new Date(e as number), position: { at: new Date(t as number), id: i } };
  }

  private sign(query: Record<string, unknown>, body: Buffer): Buffer {
    return createHmac("sha256", this.key).update(canonicalJson(query)).update("\n").update(body).digest();
  }
}
