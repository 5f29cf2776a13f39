// `iact-bot audit verify` and the entries the commands write, as an operator
// runs them; `iact-bot migrate` warns that the test user could rewrite the log.
import { beforeEach, describe, expect, it } from "vitest";
import { cli, CLI_TEST_TIMEOUT_MS } from "../support/cli.js";
import { truncateAllTables, withConnection } from "../support/database.js";

async function auditRows(): Promise<Array<{ id: number; actor: string; action: string; target: string }>> {
  return withConnection(async (connection) => {
    const [rows] = await connection.query("SELECT id, actor, action, target FROM audit_log ORDER BY id");
    return rows as Array<{ id: number; actor: string; action: string; target: string }>;
  });
}

describe("iact-bot audit", () => {
  beforeEach(async () => {
    await truncateAllTables();
  });

  it(
    "token create and revoke are audited with the OS user as actor; verify passes, then names the entry an administrator changed",
    async () => {
      expect((await cli("token", "create", "--name", "ci", "--scope", "write")).code).toBe(0);
      expect((await cli("token", "revoke", "--name", "ci")).code).toBe(0);
      const rows = await auditRows();
      expect(rows.map((row) => [row.action, row.target])).toEqual([
        ["token.created", "token:ci"],
        ["token.revoked", "token:ci"],
      ]);
      expect(rows[0]!.actor).toMatch(/^cli:/);

      const verified = await cli("audit", "verify");
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/^audit log verified: 2 entries, last hash [0-9a-f]{64}$/m);

      await withConnection((connection) =>
        connection.query(
          "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = 'token:other' WHERE id = " + rows[0]!.id +
            "; CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only: UPDATE refused'",
        ),
      );
      const broken = await cli("audit", "verify");
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain(`audit log broken at entry ${rows[0]!.id}: its content does not match its content hash`);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    "migrate warns when its user could drop the audit triggers (the test user holds ALL PRIVILEGES)",
    async () => {
      const migrated = await cli("migrate");
      expect(migrated.code).toBe(0);
      expect(migrated.stderr).toMatch(/^warning: user \w+ holds ALL PRIVILEGES on \S+, so it can drop the audit log's triggers or rewrite it/m);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
