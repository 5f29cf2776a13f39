// `iact-bot audit verify`: walks the audit log's hash chain from the first
// entry and exits 1 naming the first entry that was changed, removed or
// forged. It prints the last hash: kept somewhere else (a ticket, a log
// shipped off the host), it also shows a chain rewritten from the start.
import type { Command } from "commander";
import { verifyAuditLog } from "../store/audit-log.js";
import { withDatabase } from "./with-database.js";

export async function auditVerifyCommand(): Promise<void> {
  const verification = await withDatabase((prisma) => verifyAuditLog(prisma));
  if (!verification.ok) {
    throw new Error(`audit log broken at entry ${verification.broken.id}: ${verification.broken.reason} (${verification.entries} entries before it verify)`);
  }
  console.log(`audit log verified: ${verification.entries} entries, last hash ${verification.lastHash}`);
}

export function auditCommands(program: Command): void {
  const audit = program.command("audit").description("the append-only audit log");
  audit.command("verify").description("check the hash chain; exit 1 naming the first broken entry").action(auditVerifyCommand);
}
