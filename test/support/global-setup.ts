// Runs once before the suites: migrates the test database from nothing, so
// every run proves the migrations apply cleanly. Suites that need no
// database (pure engines) do not pay for more than this.
import { applyMigrations } from "../../src/store/migrations.js";
import { dropAllTables, ensureDatabase, testDatabaseSettings } from "./database.js";

export default async function setup(): Promise<void> {
  if (process.env.IACT_TEST_SKIP_DB === "1") return;
  const settings = testDatabaseSettings();
  try {
    await ensureDatabase(settings);
    await dropAllTables(settings);
    await applyMigrations(settings);
  } catch (error) {
    throw new Error(
      `Cannot prepare the test database ${settings.host}:${settings.port}/${settings.database}: ${(error as Error).message}\n` +
        "Start it with scripts/services/mariadb.sh (npm test does this for you), or set IACT_TEST_SKIP_DB=1 to run only the pure suites.",
      { cause: error },
    );
  }
}
