// The maintenance jobs: what the plan ran from crontab (session cleanup,
// backups), run in-process, once across replicas, by the scheduler.
//   cleanup        every 6 hours: ended deliveries past the inbox retention,
//                  API tokens that expired or were revoked, and expired
//                  dashboard sessions;
//   backup         daily at 02:00 UTC: what cannot be recomputed from GitHub
//                  (src/store/backup.ts), then files past the backup
//                  retention are removed.
import type { Env } from "../config/env.js";
import { MS_PER_DAY } from "../dora/index.js";
import { deleteEndedDeliveries } from "../inbox/inbox-retention.js";
import { removeDeadTokens } from "../store/api-token-retention.js";
import { deleteExpiredSessions } from "../store/dashboard-sessions.js";
import { appendAudit } from "../store/audit-log.js";
import { pruneBackups, writeBackup } from "../store/backup.js";
import type { BackupResult } from "../store/backup.js";
import { parseDatabaseUrl } from "../store/database-url.js";
import type { DatabaseSettings } from "../store/database-url.js";
import type { PrismaClient } from "../store/prisma.js";
import type { JobDefinition } from "./scheduler.js";

export interface MaintenanceSettings {
  database: DatabaseSettings;
  backupDir: string;
  backupRetentionDays: number;
  inboxRetentionDays: number;
}

export function maintenanceSettings(env: Env): MaintenanceSettings {
  return {
    database: parseDatabaseUrl(env.DATABASE_URL),
    backupDir: env.IACT_BACKUP_DIR,
    backupRetentionDays: env.IACT_BACKUP_RETENTION_DAYS,
    inboxRetentionDays: env.IACT_INBOX_RETENTION_DAYS,
  };
}

/** The audit entry of a backup written (by the job or by hand). */
export async function auditBackup(prisma: PrismaClient, actor: string, result: BackupResult, removed: readonly string[] = []): Promise<void> {
  await appendAudit(prisma, {
    actor,
    action: "backup.written",
    target: result.file,
    details: { bytes: result.bytes, schema: result.schema, tables: result.manifest, removed },
  });
}

export const CLEANUP_JOB = "cleanup";

export function cleanupJob(prisma: PrismaClient, settings: MaintenanceSettings): JobDefinition {
  return {
    name: CLEANUP_JOB,
    description: `delete webhook deliveries that ended (done or rejected) more than ${settings.inboxRetentionDays} days ago, in batches, API tokens that expired or were revoked, and expired dashboard sessions`,
    schedule: "0 */6 * * *",
    timezone: "UTC",
    async run({ scheduledFor }) {
      const cutoff = new Date(scheduledFor.getTime() - settings.inboxRetentionDays * MS_PER_DAY);
      const { deliveries, batches } = await deleteEndedDeliveries(prisma, cutoff);
      const { tokens } = await removeDeadTokens(prisma, scheduledFor, { actor: `job:${CLEANUP_JOB}` });
      const sessions = await deleteExpiredSessions(prisma, scheduledFor);
      return { deliveries_deleted: deliveries, batches, tokens_removed: tokens.length, sessions_deleted: sessions };
    },
  };
}

export function backupJob(prisma: PrismaClient, settings: MaintenanceSettings): JobDefinition {
  return {
    name: "backup",
    description: `back up the team's records, tokens, settings and job history into ${settings.backupDir}, keeping ${settings.backupRetentionDays} days`,
    schedule: "0 2 * * *",
    timezone: "UTC",
    async run({ log }) {
      const result = await writeBackup(settings.database, settings.backupDir);
      const removed = await pruneBackups(settings.backupDir, settings.backupRetentionDays);
      await auditBackup(prisma, "job:backup", result, removed);
      log.info({ file: result.file, bytes: result.bytes, manifest: result.manifest, removed }, "backup written");
      const rows = Object.values(result.manifest).reduce((sum, table) => sum + table.rows, 0);
      return { rows, bytes: result.bytes, files_removed: removed.length };
    },
  };
}
