// The audit log against real MariaDB: the database itself refuses UPDATE and
// DELETE, concurrent appends form one chain, and `verifyAuditLog` names the
// first entry an administrator changed, removed or forged with the triggers
// dropped.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { appendAudit, listAudit, verifyAuditLog } from "../../src/store/audit-log.js";
import type { PrismaClient } from "../../src/store/prisma.js";
import { withConnection } from "../support/database.js";
import { prismaForAllTests } from "../support/prisma.js";

async function sql(statement: string): Promise<void> {
  await withConnection((connection) => connection.query(statement));
}

/** What an administrator with every privilege could do: drop the triggers, edit, put them back. */
async function asAdministratorWithoutTriggers(statement: string): Promise<void> {
  const migration = await readFile("prisma/migrations/20261129030200_audit_log/migration.sql", "utf8");
  const triggers = migration.slice(migration.indexOf("CREATE TRIGGER"));
  await sql("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
  try {
    await sql(statement);
  } finally {
    await sql(triggers);
  }
}

describe("audit log", () => {
  let prisma: PrismaClient;
  prismaForAllTests((client) => (prisma = client));

  async function three(): Promise<void> {
    await appendAudit(prisma, { actor: "cli:ops", action: "token.created", target: "token:ci", details: { scope: "write" } });
    await appendAudit(prisma, { actor: "token:ci", action: "metric_record.created", target: "dora_metrics:C-1", requestId: "req-1", details: { phase: "testing" } });
    await appendAudit(prisma, { actor: "cli:ops", action: "token.revoked", target: "token:ci" });
  }

  it("chains every entry to the one before, and verifies", async () => {
    await three();
    const verification = await verifyAuditLog(prisma);
    const newest = await listAudit(prisma, { limit: 10 });
    expect(newest.map((entry) => entry.action)).toEqual(["token.revoked", "metric_record.created", "token.created"]);
    expect(verification).toEqual({ ok: true, entries: 3, lastHash: newest[0]!.entryHash });
    expect(newest[0]!.previousHash).toBe(newest[1]!.entryHash);
    expect(await listAudit(prisma, { action: "token.revoked", limit: 10 })).toHaveLength(1);
    expect(await listAudit(prisma, { actor: "cli:ops", beforeId: newest[0]!.id, limit: 10 })).toHaveLength(1);
  });

  it("is refused UPDATE and DELETE by the database itself", async () => {
    await three();
    await expect(sql("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2")).rejects.toThrow("audit_log is append-only: UPDATE refused");
    await expect(sql("DELETE FROM audit_log WHERE id = 2")).rejects.toThrow("audit_log is append-only: DELETE refused");
    expect(await verifyAuditLog(prisma)).toMatchObject({ ok: true, entries: 3 });
  });

  it("names the first entry changed in place, or after one removed, when the triggers were dropped to do it", async () => {
    await three();
    await asAdministratorWithoutTriggers(`UPDATE audit_log SET details = '{"phase": "deployment"}' WHERE id = 2`);
    expect(await verifyAuditLog(prisma)).toEqual({
      ok: false,
      entries: 1,
      broken: { id: 2n, reason: "its content does not match its content hash (changed after it was written)" },
    });
    await asAdministratorWithoutTriggers("DELETE FROM audit_log WHERE id = 2");
    expect(await verifyAuditLog(prisma, 1)).toEqual({
      ok: false,
      entries: 1,
      broken: { id: 3n, reason: "it does not link to the entry before it (an entry was removed or inserted before it)" },
    });
  });

  it("forms one chain from appends made at the same time", async () => {
    await Promise.all(Array.from({ length: 25 }, (_, index) => appendAudit(prisma, { actor: `token:t${index}`, action: "metric_record.created", target: `dora_metrics:C-${index}` })));
    expect(await verifyAuditLog(prisma, 7)).toMatchObject({ ok: true, entries: 25 });
  });
});
