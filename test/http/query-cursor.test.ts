// The signed page cursors of /api/data/query: accepted by any replica that
// shares the webhook secret, refused when changed, made for another query or
// signed with another secret.
import { describe, expect, it } from "vitest";
import { QueryCursors } from "../../src/http/query-cursor.js";

const query = { type: "logs", days: 3, level: "warn" };
const state = { windowEnd: new Date("2026-11-29T06:00:00.000Z"), position: { at: new Date("2026-11-28T10:00:00.123Z"), id: "1234" } };

describe("QueryCursors", () => {
  it("gives back the state on another replica with the same shared secret", () => {
    const cursor = QueryCursors.derivedFrom("webhook-secret").encode(query, state);
    expect(QueryCursors.derivedFrom("webhook-secret").decode({ ...query }, cursor)).toEqual(state);
  });

  it.each<[string, (cursor: string) => string, Record<string, unknown>, string]>([
    ["another secret", (cursor) => cursor, query, "other-secret"],
    ["another query", (cursor) => cursor, { ...query, days: 4 }, "webhook-secret"],
    ["a changed body", (cursor) => `${Buffer.from('{"e":1,"t":1,"i":"1"}').toString("base64url")}.${cursor.split(".")[1]}`, query, "webhook-secret"],
    ["a truncated signature", (cursor) => cursor.slice(0, -2), query, "webhook-secret"],
    ["an extra part", (cursor) => `${cursor}.x`, query, "webhook-secret"],
    ["not base64url", () => "a b.c", query, "webhook-secret"],
  ])("refuses a cursor with %s", (_what, change, decodedWith, secret) => {
    const cursor = QueryCursors.derivedFrom("webhook-secret").encode(query, state);
    expect(QueryCursors.derivedFrom(secret).decode(decodedWith, change(cursor))).toBeNull();
  });
});
