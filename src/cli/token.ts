// `iact-bot token create|revoke|list`: bearer tokens of the HTTP API.
import type { Command } from "commander";
import { loadConfig } from "../config/env.js";
import { ApiTokens } from "../http/auth/api-tokens.js";
import { parseDatabaseUrl } from "../store/database-url.js";
import { createPrismaClient } from "../store/prisma.js";

async function withTokens<T>(work: (tokens: ApiTokens) => Promise<T>): Promise<T> {
  const prisma = createPrismaClient(parseDatabaseUrl(loadConfig().env.DATABASE_URL));
  try {
    return await work(new ApiTokens(prisma));
  } finally {
    await prisma.$disconnect();
  }
}

export function tokenCommands(program: Command): void {
  const token = program.command("token").description("manage the HTTP API's bearer tokens");
  token
    .command("create")
    .requiredOption("--name <name>", "a name to recognise the token by")
    .option("--scope <scope>", "read or write (write includes read)", "read")
    .description("create a token; it is printed once and only its hash is stored")
    .action(async (options: { name: string; scope: string }) => {
      if (options.scope !== "read" && options.scope !== "write") throw new Error(`--scope must be read or write, not "${options.scope}"`);
      const created = await withTokens((tokens) => tokens.create(options.name, options.scope as "read" | "write"));
      console.error(`Token "${created.name}" (${created.scope}) created. Store it now: it is not shown again.`);
      console.log(created.token);
    });
  token
    .command("revoke")
    .requiredOption("--name <name>", "the token's name")
    .description("revoke a token")
    .action(async (options: { name: string }) => {
      const revoked = await withTokens((tokens) => tokens.revoke(options.name));
      if (!revoked) throw new Error(`No live token named "${options.name}"`);
      console.log(`Token "${options.name}" revoked.`);
    });
  token
    .command("list")
    .description("list tokens (names, scopes, prefixes; never the tokens)")
    .action(async () => {
      const rows = await withTokens((tokens) => tokens.list());
      for (const row of rows) {
        console.log(
          [row.name, row.scope, `${row.prefix}…`, `created ${row.createdAt.toISOString()}`, row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : "active"].join("\t"),
        );
      }
    });
}
