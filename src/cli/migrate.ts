// `iact-bot migrate` (also `npm run db:migrate`).
import { parseDatabaseUrl, redactDatabaseUrl } from "../store/database-url.js";
import { readAuditTamperingGrants } from "../store/audit-grants.js";
import { applyMigrations } from "../store/migrations.js";
import { cassandraSettingsFromEnv, createCassandraClient } from "../logs/cassandra-client.js";
import { ensureLogSchema } from "../logs/cassandra-log-store.js";

export async function migrate(databaseUrl: string, cassandraEnv?: Record<string, string>): Promise<void> {
  const settings = parseDatabaseUrl(databaseUrl);
  const outcome = await applyMigrations(settings, undefined, (line) => console.log(line));
  console.log(
    `${redactDatabaseUrl(databaseUrl)}: ${outcome.applied.length} migration(s) applied, ${outcome.alreadyApplied.length} already applied`,
  );
  // The user that migrates may need these; the app's own user should not (docs/audit.md).
  for (const grant of await readAuditTamperingGrants(settings)) {
    console.error(
      `warning: user ${settings.user} holds ${grant.privileges.join(", ")} on ${grant.on}, so it can drop the audit log's triggers or rewrite it; ` +
        "run the app as a user granted only INSERT and SELECT on audit_log (see docs/audit.md)",
    );
  }
  if (cassandraEnv) await migrateCassandra(cassandraEnv);
}

/** The log store's keyspace and table in Cassandra, when CASSANDRA_CONTACT_POINTS is set. */
async function migrateCassandra(cassandraEnv: Record<string, string>): Promise<void> {
  const settings = cassandraSettingsFromEnv(cassandraEnv);
  const client = createCassandraClient(settings);
  try {
    await ensureLogSchema(client, settings.keyspace, settings.replicationFactor);
    console.log(`Cassandra ${settings.contactPoints.join(",")}: keyspace ${settings.keyspace} and table log_lines ready`);
  } finally {
    await client.shutdown();
  }
}
