#!/usr/bin/env node
// The iact-bot command. Each subcommand lives in its own file; this one only
// declares them and maps errors to exit codes (one boundary for the CLI).
import { Command } from "commander";
import { ConfigError, loadConfig } from "../config/env.js";
import { loadEnvFile } from "./load-env-file.js";
import { serve } from "./serve.js";
import { migrate } from "./migrate.js";
import { tokenCommands } from "./token.js";
import { inboxCommands } from "./inbox.js";
import { backfillCommand } from "./backfill.js";
import { checkCommand } from "./check.js";
import { importCommand } from "./import.js";
import { rollupsCommands } from "./rollups.js";
import { jobsCommands } from "./jobs.js";
import { reportCommandDefinition } from "./report.js";
import { maintenanceCommands } from "./maintenance.js";
import { auditCommands } from "./audit.js";

loadEnvFile();

const program = new Command()
  .name("iact-bot")
  .description("GitHub App for the IACT platform: DORA metrics and repository checks")
  .showHelpAfterError();

program.command("serve").description("run the GitHub App (setup flow when unregistered)").action(serve);

program.command("migrate").description("apply the SQL migrations in prisma/migrations to DATABASE_URL, and create the Cassandra log table when CASSANDRA_CONTACT_POINTS is set").action(async () => {
  const config = loadConfig();
  await migrate(config.env.DATABASE_URL, config.cassandraEnv);
});

tokenCommands(program);
inboxCommands(program);

program
  .command("backfill")
  .description("capture the last N days of a repository's DORA history over REST (idempotent)")
  .requiredOption("--repo <owner/name>", "repository")
  .option("--days <n>", "days to go back", "90")
  .option("--installation <id>", "installation id (default: looked up with the app's JWT)")
  .action(backfillCommand);
checkCommand(program);
importCommand(program);
rollupsCommands(program);
jobsCommands(program);
reportCommandDefinition(program);
maintenanceCommands(program);
auditCommands(program);

// `iact-bot` alone runs the app (npm start and Probot's setup flow rely on it).
// Not commander's isDefault: that also hands every unknown word to serve, so
// `iact-bot report` answered "too many arguments for 'serve'" instead of
// "unknown command 'report'" and the list of commands.
const args = process.argv.slice(2);

try {
  await program.parseAsync(args.length === 0 ? ["serve"] : args, { from: "user" });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    console.error("See .env.example and the README's Configuration section.");
  } else {
    console.error(`iact-bot: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
}
