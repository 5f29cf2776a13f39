// Reading request bodies with a size limit. A body over the limit is refused
// with 413 as soon as it passes the limit, without buffering the rest, and
// the answer says `Connection: close`: Node then ends the socket once the
// 413 is written. Until then the rest of the body is read and dropped, so
// the client, still sending, sees the answer rather than a reset. Keeping
// the connection open instead would mean draining a body of any length, and
// stopping to read without closing (what breaking out of `for await` did)
// left the connection waiting forever for a body nobody read.
import type { IncomingMessage } from "node:http";
import { jsonNesting, prototypeKeyPath } from "../lib/json-nesting.js";
import { HttpError } from "./http-error.js";

/**
 * Objects and arrays inside each other in one request body. Every body the
 * API takes is shallow; a deeper one is refused before any code walks it
 * (Prisma's serialisation recurses, and overflows the stack near 1,000
 * levels). What a stored field may hold is checked by its own schema.
 */
export const MAX_JSON_BODY_NESTING = 64;

const CLOSE_AFTER_ANSWER = { connection: "close" };

export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return Promise.reject(new HttpError(413, `Request body is ${declared} bytes; the limit is ${limitBytes} bytes`, undefined, CLOSE_AFTER_ANSWER));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    request.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        settle(() => reject(new HttpError(413, `Request body exceeds the limit of ${limitBytes} bytes`, undefined, CLOSE_AFTER_ANSWER)));
        return;
      }
      chunks.push(chunk);
    });
    request.once("end", () => settle(() => resolve(Buffer.concat(chunks))));
    request.once("error", (error) => settle(() => reject(new HttpError(400, `Cannot read the request body: ${error.message}`))));
    // The client went away mid-body: nobody will read the answer, but the route must not wait forever.
    request.once("close", () => settle(() => reject(new HttpError(400, "The connection closed before the request body was complete"))));
  });
}

/**
 * Parses a JSON body, or explains precisely why it is not JSON or not one
 * the API can take: nested deeper than MAX_JSON_BODY_NESTING, or with a
 * `__proto__` key, which JSON allows but which copying the object into
 * JavaScript (validation does) would turn into a prototype and drop.
 */
export function parseJson(body: Buffer): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") throw new HttpError(400, "Request body is empty; expected JSON");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
  const nesting = jsonNesting(value);
  if (nesting > MAX_JSON_BODY_NESTING) {
    throw new HttpError(400, `Request body nests objects and arrays ${nesting} levels deep; the limit is ${MAX_JSON_BODY_NESTING}`);
  }
  const prototypeKey = prototypeKeyPath(value);
  if (prototypeKey !== undefined) {
    throw new HttpError(400, "Invalid request body: 1 field is wrong", [{ field: prototypeKey, message: "__proto__ is not accepted as a key" }]);
  }
  return value;
}
