// The webhook intake under hostile but correctly signed input (issue: stored
// whatever GitHub signed, never a 5xx for what a delivery holds, never a
// hung database pool). Each delivery below used to get a 503, or no answer
// at all, and could drain the pool; now each is stored as its exact bytes,
// its indexed fields read defensively, and judged by the worker.
import { describe, expect, it } from "vitest";
import type { RunningService } from "../../src/service.js";
import { sendWebhook } from "../support/github-app.js";
import { fakeGitHubPermissively } from "../support/permissive-github.js";
import { deliverQueued, deliveryHandled, serviceForAllTests } from "../support/service.js";
import { exampleFor } from "../support/webhook-examples.js";
import { call, tokenFor } from "./api-client.js";

type Payload = Record<string, unknown>;

function push(change: (payload: Payload) => void = () => {}): Payload {
  const payload = exampleFor("push") as unknown as Payload;
  change(payload);
  return payload;
}

/** A push with `"extra"` nested `depth` levels deep, written as text (JSON.stringify would recurse that deep). */
function deepPush(depth: number): string {
  return JSON.stringify(push()).replace(/^\{/, `{"extra":${'{"deeper":'.repeat(depth)}"bottom"${"}".repeat(depth)},`);
}

/** JSON text with an own "__proto__" key, as only a parser (not an object literal) makes one. */
function withOwnProto(payload: Payload): string {
  return JSON.stringify(payload).replace(/^\{/, '{"__proto__":{"polluted":true},');
}

const installation = (id: unknown) => (payload: Payload) => {
  payload.installation = { id, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
};

/** [what, body sent, the indexed columns expected, the worker's verdict] */
const HOSTILE: Array<[string, string, { installationId?: bigint | null; repository?: string | null; action?: string | null }, "done" | "rejected"]> = [
  ["JSON nested 40 levels (MariaDB's JSON column refused 32)", deepPush(40), {}, "done"],
  ["JSON nested 5,000 levels (overflowed Prisma's serialiser)", deepPush(5_000), {}, "done"],
  ["an own __proto__ key", withOwnProto(push()), {}, "done"],
  ["installation.id -1e20 (hung a pool connection)", JSON.stringify(push(installation(-1e20))), { installationId: null }, "rejected"],
  ["installation.id 1e20 (out of BIGINT range)", JSON.stringify(push(installation(1e20))), { installationId: null }, "rejected"],
  ["installation.id 1.5 (no BigInt)", JSON.stringify(push(installation(1.5))), { installationId: null }, "rejected"],
  ["installation.id as a string", JSON.stringify(push(installation("42"))), { installationId: null }, "rejected"],
  [
    "repository.full_name of 300 characters",
    JSON.stringify(push((payload) => ((payload.repository as Payload).full_name = `octo/${"r".repeat(295)}`))),
    { repository: null },
    // No DORA row could hold the name: the payload's schema refuses it, once.
    "rejected",
  ],
  ["action of 100 characters", JSON.stringify({ ...push(), action: "a".repeat(100) }), { action: "a".repeat(64) }, "done"],
];

describe("webhook intake: hostile signed deliveries", () => {
  let service: RunningService;
  serviceForAllTests((started) => (service = started));

  it.each(HOSTILE)("stores %s as its exact bytes and answers 202; the worker settles it", async (_what, body, columns, verdict) => {
    fakeGitHubPermissively();
    const { response, deliveryId } = await sendWebhook(service.url, "push", null, { rawBody: body });
    expect(response.status).toBe(202);
    const row = await deliveryHandled(service, deliveryId, { final: true });
    expect(Buffer.from(row.payload).toString("utf8")).toBe(body);
    for (const [column, value] of Object.entries(columns)) expect(row[column as keyof typeof row], column).toEqual(value);
    expect({ status: row.status, attempts: row.attempts }).toEqual({ status: verdict, attempts: 1 });
  });

  it("answers 400 to a signed body that is not a JSON object, and stores nothing", async () => {
    for (const body of ["[1,2,3]", '"text"', "not json at all"]) {
      const { response } = await sendWebhook(service.url, "push", null, { rawBody: body });
      expect(response.status, body).toBe(400);
    }
    expect(await service.prisma.webhookDelivery.count()).toBe(0);
  });

  it("stores and acknowledges a valid 20 MB push (GitHub sends up to 25 MB)", async () => {
    fakeGitHubPermissively();
    // A push touching very many files: the size is in the file lists GitHub sends.
    const body = JSON.stringify(
      push((payload) => {
        const headCommit = payload.head_commit as Payload;
        headCommit.modified = Array.from({ length: 520_000 }, (_item, index) => `src/generated/module-${index.toString().padStart(8, "0")}/index.ts`);
      }),
    );
    expect(Buffer.byteLength(body)).toBeGreaterThan(20 * 1024 * 1024);
    const { response, deliveryId } = await sendWebhook(service.url, "push", null, { rawBody: body });
    expect(response.status).toBe(202);
    const row = await deliveryHandled(service, deliveryId, { final: true });
    expect(row.payload.byteLength).toBe(Buffer.byteLength(body));
    expect(row.status).toBe("done");
  }, 60_000);

  it("keeps answering normally after 50 pathological deliveries: later deliveries 202, /ready ok, API auth works", async () => {
    fakeGitHubPermissively();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_item, index) => sendWebhook(service.url, "push", null, { rawBody: HOSTILE[index % HOSTILE.length]![1] })),
    );
    expect(answers.map((answer) => answer.response.status)).toEqual(Array(50).fill(202));

    const valid = await deliverQueued(service, "push", exampleFor("push"));
    expect((await deliveryHandled(service, valid, { final: true })).status).toBe("done");
    const ready = await call(service.url, "GET", "/ready");
    expect(ready.status).toBe(200);
    expect((ready.body as { dependencies: Record<string, unknown> }).dependencies.mysql_settings).toMatchObject({ ok: true, max_allowed_packet: expect.any(Number) });
    const token = await tokenFor(service.prisma, "read");
    expect((await call(service.url, "GET", "/api/jobs", { token })).status).toBe(200);
    expect((await call(service.url, "GET", "/api/jobs", { token: "iact_not-a-token" })).status).toBe(401);
  }, 60_000);
});
