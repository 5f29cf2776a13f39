// `iact-bot backup`, `iact-bot restore <file>` and `iact-bot cleanup`: the
// maintenance jobs (src/jobs/maintenance.ts) by hand. backup and cleanup do
// what the scheduled runs do; restore exists only here, since it is a
// decision for a person.
import type { Command } from "commander";
import { loadConfig } from "../config/env.js";
import { MS_PER_DAY } from "../dora/index.js";
import { deleteEndedDeliveries } from "../inbox/inbox-retention.js";
import { auditBackup, maintenanceSettings } from "../jobs/maintenance.js";
import { appendAudit } from "../store/audit-log.js";
import { removeDeadTokens } from "../store/api-token-retention.js";
import { restoreBackup, writeBackup } from "../store/backup.js";
import { withDatabase } from "./with-database.js";
import { cliActor } from "./actor.js";

export async function backupCommand(options: { dir?: string }): Promise<void> {
  const settings = maintenanceSettings(loadConfig().env);
  const result = await writeBackup(settings.database, options.dir ?? settings.backupDir);
  await withDatabase((prisma) => auditBackup(prisma, cliActor(), result));
  console.log(JSON.stringify({ file: result.file, bytes: result.bytes, schema: result.schema, tables: result.manifest }, null, 2));
}

export async function restoreCommand(file: string): Promise<void> {
  const settings = maintenanceSettings(loadConfig().env);
  const manifest = await restoreBackup(settings.database, file);
  await withDatabase((prisma) => appendAudit(prisma, { actor: cliActor(), action: "backup.restored", target: file, details: { tables: manifest } }));
  const rows = Object.values(manifest).reduce((sum, table) => sum + table.rows, 0);
  console.log(`restored ${rows} rows from ${file}: ${Object.entries(manifest).map(([table, { rows: count }]) => `${table} ${count}`).join(", ")}`);
}

export async function cleanupCommand(options: { dryRun?: boolean; days?: string }): Promise<void> {
  const settings = maintenanceSettings(loadConfig().env);
  const days = options.days === undefined ? settings.inboxRetentionDays : Number(options.days);
  if (!Number.isInteger(days) || days < 1) throw new Error(`--days must be a whole number of days, 1 or more (got ${options.days})`);
  const cutoff = new Date(Date.now() - days * MS_PER_DAY);
  const dryRun = options.dryRun === true;
  const [deleted, removed] = await withDatabase(async (prisma) => {
    const ended = await deleteEndedDeliveries(prisma, cutoff, { dryRun });
    if (!dryRun) await appendAudit(prisma, { actor: cliActor(), action: "inbox.cleaned", target: "webhook_deliveries", details: { deleted: ended.deliveries, before: cutoff.toISOString() } });
    return [ended, await removeDeadTokens(prisma, new Date(), { dryRun, actor: cliActor() })] as const;
  });
  const verb = dryRun ? "would delete" : "deleted";
  console.log(`${verb} ${deleted.deliveries} webhook deliveries that ended before ${cutoff.toISOString()} (${days} days)`);
  console.log(`${dryRun ? "would remove" : "removed"} ${removed.tokens.length} expired or revoked API tokens${removed.tokens.length ? `: ${removed.tokens.join(", ")}` : ""}`);
}

export function maintenanceCommands(program: Command): void {
  program
    .command("backup")
    .description("write a backup of what cannot be recomputed from GitHub (team records, tokens, settings, job history)")
    .option("--dir <path>", "directory (default IACT_BACKUP_DIR)")
    .action(backupCommand);
  program
    .command("restore")
    .description("restore a backup file into an empty database of the same schema version (all or nothing)")
    .argument("<file>", "a file written by iact-bot backup")
    .action(restoreCommand);
  program
    .command("cleanup")
    .description("delete webhook deliveries that ended (done or rejected) before the inbox retention, and expired or revoked API tokens")
    .option("--dry-run", "count what would be deleted, delete nothing")
    .option("--days <n>", "retention in days (default IACT_INBOX_RETENTION_DAYS)")
    .action(cleanupCommand);
}
