// The log-retention job (daily): deletes stored log lines older than the
// plan's 90 days, in small batches (the store's deleteBefore). A store with
// its own TTL (Cassandra) deletes nothing here.
import { MS_PER_DAY } from "../dora/index.js";
import { LOG_RETENTION_DAYS } from "../lib/log-lines.js";
import type { LogStore } from "../lib/log-lines.js";
import type { JobDefinition } from "./scheduler.js";

export const LOG_RETENTION_JOB = "log-retention";

export function logRetentionJob(store: LogStore): JobDefinition {
  return {
    name: LOG_RETENTION_JOB,
    description: `delete stored log lines older than ${LOG_RETENTION_DAYS} days, in batches`,
    schedule: "30 3 * * *",
    timezone: "UTC",
    async run({ scheduledFor }) {
      const deleted = await store.deleteBefore(new Date(scheduledFor.getTime() - LOG_RETENTION_DAYS * MS_PER_DAY));
      return { lines_deleted: deleted };
    },
  };
}
