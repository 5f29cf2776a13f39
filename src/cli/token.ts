// `iact-bot token create|revoke|list`: bearer tokens of the HTTP API.
import type { Command } from "commander";
import { ApiTokens } from "../http/auth/api-tokens.js";
import { describeRestriction, repoRestriction } from "../http/auth/repo-access.js";
import { MS_PER_DAY } from "../dora/index.js";
import { withDatabase } from "./with-database.js";
import { cliActor } from "./actor.js";

function withTokens<T>(work: (tokens: ApiTokens) => Promise<T>): Promise<T> {
  return withDatabase((prisma) => work(new ApiTokens(prisma)));
}

/** `--expires-in 90`: that many whole days from now (1 to 3650). */
function expiryIn(days: string): Date {
  const count = Number(days);
  if (!/^\d+$/.test(days) || count < 1 || count > 3650) throw new Error(`--expires-in must be a whole number of days from 1 to 3650, not "${days}"`);
  return new Date(Date.now() + count * MS_PER_DAY);
}

/** Commander's way to repeat an option: `--repo a --repo b`. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function tokenCommands(program: Command): void {
  const token = program.command("token").description("manage the HTTP API's bearer tokens");
  token
    .command("create")
    .requiredOption("--name <name>", "a name to recognise the token by")
    .option("--scope <scope>", "read or write (write includes read)", "read")
    .option("--repo <owner/name>", "restrict the token to this repository (repeatable)", collect, [])
    .option("--owner <owner>", "restrict the token to every repository of this user or organisation (repeatable)", collect, [])
    .option("--expires-in <days>", "the token stops working after this many days (default: it does not expire)")
    .description("create a token; it is printed once and only its hash is stored. Without --repo/--owner it reads every repository")
    .action(async (options: { name: string; scope: string; repo: string[]; owner: string[]; expiresIn?: string }) => {
      if (options.scope !== "read" && options.scope !== "write") throw new Error(`--scope must be read or write, not "${options.scope}"`);
      const restriction = repoRestriction(options.repo, options.owner);
      const expiresAt = options.expiresIn === undefined ? null : expiryIn(options.expiresIn);
      const created = await withTokens((tokens) => tokens.create(options.name, options.scope as "read" | "write", restriction, cliActor(), expiresAt));
      const reach = created.restriction ? `restricted to ${describeRestriction(created.restriction)}` : "every repository";
      const until = created.expiresAt ? `, until ${created.expiresAt.toISOString()}` : "";
      console.error(`Token "${created.name}" (${created.scope}, ${reach}${until}) created. Store it now: it is not shown again.`);
      console.log(created.token);
    });
  token
    .command("revoke")
    .requiredOption("--name <name>", "the token's name")
    .description("revoke a token")
    .action(async (options: { name: string }) => {
      const revoked = await withTokens((tokens) => tokens.revoke(options.name, cliActor()));
      if (!revoked) throw new Error(`No live token named "${options.name}"`);
      console.log(`Token "${options.name}" revoked.`);
    });
  token
    .command("list")
    .description("list tokens (names, scopes, prefixes, repositories; never the tokens)")
    .action(async () => {
      const rows = await withTokens((tokens) => tokens.list());
      for (const row of rows) {
        console.log(
          [
            row.name,
            row.scope,
            `${row.prefix}…`,
            `repos: ${row.restriction ? [...row.restriction.repos, ...row.restriction.owners.map((owner) => `${owner}/*`)].join(",") || "none" : "all"}`,
            `created ${row.createdAt.toISOString()}`,
            row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : row.expiresAt && row.expiresAt.getTime() <= Date.now() ? `expired ${row.expiresAt.toISOString()}` : row.expiresAt ? `active until ${row.expiresAt.toISOString()}` : "active",
          ].join("\t"),
        );
      }
    });
}
