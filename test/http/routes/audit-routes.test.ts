// GET /api/audit on the real service: read scope, newest first, filters, a
// cursor that neither repeats nor skips, a 400 naming each bad parameter;
// and a record written through POST /api/dora/metrics appears in it with the
// token as actor and the caller's X-Request-Id.
import { describe, expect, it } from "vitest";
import { auditResponseSchema } from "../../../src/http/routes/audit-routes.js";
import type { RunningService } from "../../../src/service.js";
import { appendAudit } from "../../../src/store/audit-log.js";
import { serviceForAllTests } from "../../support/service.js";
import { call, metricRecord, tokenFor } from "../api-client.js";

describe("GET /api/audit", () => {
  let service: RunningService;
  serviceForAllTests((started) => (service = started));

  it("records a metric record written through the API with its token and request id, and needs the read scope", async () => {
    const writer = await tokenFor(service.prisma, "write", "pipeline");
    const response = await fetch(`${service.url}/api/dora/metrics`, {
      method: "POST",
      headers: { authorization: `Bearer ${writer}`, "content-type": "application/json", "x-request-id": "deploy-7f3a" },
      body: JSON.stringify(metricRecord({ cycle_id: "C-77" })),
    });
    expect(response.status).toBe(201);
    expect((await call(service.url, "GET", "/api/audit")).status).toBe(401);
    const answer = await call(service.url, "GET", "/api/audit?action=metric_record.created", { token: await tokenFor(service.prisma, "read") });
    expect(answer.status).toBe(200);
    const page = auditResponseSchema.parse(answer.body);
    expect(page.data.map(({ actor, action, target, request_id }) => ({ actor, action, target, request_id }))).toEqual([
      { actor: "token:pipeline", action: "metric_record.created", target: "dora_metrics:C-77", request_id: "deploy-7f3a" },
    ]);
  });

  it("pages newest first by cursor without repeating or skipping, and filters by actor and time", async () => {
    for (let index = 0; index < 5; index++) {
      await appendAudit(service.prisma, { actor: index % 2 ? "cli:ops" : "job:backup", action: "backup.written", target: `file-${index}` }, new Date(Date.UTC(2026, 10, 1 + index)));
    }
    const token = await tokenFor(service.prisma, "read");
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const answer = await call(service.url, "GET", `/api/audit?action=backup.written&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token });
      const page = auditResponseSchema.parse(answer.body);
      seen.push(...page.data.map((entry) => entry.target));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual(["file-4", "file-3", "file-2", "file-1", "file-0"]);
    const filtered = auditResponseSchema.parse((await call(service.url, "GET", "/api/audit?actor=cli:ops&from=2026-11-03T00:00:00Z&to=2026-11-30T00:00:00Z", { token })).body);
    expect(filtered.data.map((entry) => entry.target)).toEqual(["file-3"]);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["cursor=abc", "cursor"],
    ["cursor=-1", "cursor"],
    ["from=yesterday", "from"],
    ["action=DROP%20TABLE", "action"],
    ["from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to"],
    ["colour=red", "colour"],
  ])("refuses %s with a 400 naming %s", async (query, field) => {
    const answer = await call(service.url, "GET", `/api/audit?${query}`, { token: await tokenFor(service.prisma, "read") });
    expect(answer.status).toBe(400);
    expect((answer.body as { details: Array<{ field: string }> }).details.map((detail) => detail.field)).toContain(field);
  });
});
