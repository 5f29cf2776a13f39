// `iact-bot migrate` (also `npm run db:migrate`).
import { parseDatabaseUrl, redactDatabaseUrl } from "../store/database-url.js";
import { applyMigrations } from "../store/migrations.js";

export async function migrate(databaseUrl: string): Promise<void> {
  const outcome = await applyMigrations(parseDatabaseUrl(databaseUrl), undefined, (line) => console.log(line));
  console.log(
    `${redactDatabaseUrl(databaseUrl)}: ${outcome.applied.length} migration(s) applied, ${outcome.alreadyApplied.length} already applied`,
  );
}
