// The command line itself: an unknown command is refused with the list of
// commands, and no command at all still means `serve`.
import { describe, expect, it } from "vitest";
import { CLI_TEST_TIMEOUT_MS, runCli } from "../support/cli.js";

/** No database, no credentials: these answers must not depend on either. */
const bareEnv = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra });

describe.concurrent("iact-bot", { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it("refuses an unknown command by name, lists the commands, and exits non-zero", async () => {
    const result = await runCli(["reprot"], { env: bareEnv() });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown command 'reprot'");
    expect(result.stderr).not.toContain("too many arguments");
    for (const command of ["serve", "migrate", "token", "inbox", "backfill", "check", "import", "rollups", "jobs", "report"]) {
      expect(result.stderr).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
  });

  // An invalid PORT makes serve stop at its configuration, before it binds
  // anything: the quickest proof that the words below reached serve.
  it.each([
    ["with no command", []],
    ["with serve named", ["serve"]],
  ])("runs serve %s", async (_label, args) => {
    const result = await runCli(args, { env: bareEnv({ PORT: "99999" }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toContain("See .env.example");
  });
});
