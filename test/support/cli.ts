// The real `iact-bot` command as an operator runs it: src/cli/main.ts through
// tsx in a child process, against the test database unless told otherwise.
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { TEST_DATABASE_URL } from "./database.js";

const execFileAsync = promisify(execFile);

/** Each CLI run starts Node and tsx (2-5 s, far more on a loaded machine); vitest's default 30 s is too tight for several. */
export const CLI_TEST_TIMEOUT_MS = 120_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The whole environment of the child; default: this process's, pointed at the test database, logs silenced. */
  env?: NodeJS.ProcessEnv;
}

export function cliTestEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: TEST_DATABASE_URL, NODE_ENV: "test", LOG_LEVEL: "silent", IACT_BACKUP_DIR: path.join(os.tmpdir(), `iact-bot-cli-backups-${process.pid}`) };
}

/** Runs the CLI with `args`; a non-zero exit is a result to assert on, not an exception. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      env: options.env ?? cliTestEnv(),
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    // execFile reports a kill (the timeout) with a string code and no exit status.
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** `runCli` for the common case: the arguments spread, the default environment. */
export function cli(...args: string[]): Promise<CliResult> {
  return runCli(args);
}
