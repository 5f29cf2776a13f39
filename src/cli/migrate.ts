// `iact-bot migrate` (also `npm run db:migrate`).
import { parseDatabaseUrl, redactDatabaseUrl } from "../store/database-url.js";
import { readAuditTamperingGrants } from "../store/audit-grants.js";
import { applyMigrations } from "../store/migrations.js";

export async function migrate(databaseUrl: string): Promise<void> {
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
}
