// `iact-bot check [--restrictions] [--docs] [--security] [--check <name>]... [--format text|json] [--config <file>] <dir>`:
// the check-run engines on a local checkout. Needs no database and no app
// credentials. Exit codes: 0 no failure-level finding, 1 at least one,
// 2 the configuration is invalid or the directory cannot be read.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { CHECK_NAMES, conclusionOf, titleOf } from "../checks/check-output.js";
import { runEngine } from "../checks/run-engine.js";
import { createLocalRepoFiles } from "./local-files.js";
import type { CheckName, EngineResult, Finding } from "../checks/types.js";
import { defaultRepoConfig, parseRepoConfig, REPO_CONFIG_PATH } from "../config/repo-config.js";
import type { RepoConfig, RepoConfigProblem } from "../config/repo-config.js";

export interface CheckCommandOptions {
  restrictions?: boolean;
  docs?: boolean;
  security?: boolean;
  /** `--check <name>`, repeatable: the same as the flag of that name. */
  check?: string[];
  format: "text" | "json";
  config?: string;
  /** Overrides checks.maxFileBytes of the configuration. */
  maxFileBytes?: number;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INVALID = 2;

interface CheckReport {
  check: CheckName;
  conclusion: string;
  enabled: boolean;
  rules: EngineResult["rules"];
  findings: Finding[];
}

function formatFinding(finding: Finding): string {
  return `${finding.path}:${finding.startLine}:${finding.startColumn ?? 1} ${finding.level} ${finding.ruleId} ${finding.message}`;
}

function formatProblem(file: string, problem: RepoConfigProblem): string {
  const where = problem.line ? `${file}:${problem.line}:${problem.column ?? 1}` : file;
  return `${where} error ${problem.path ? `${problem.path}: ` : ""}${problem.message}`;
}

async function readConfig(directory: string, configPath: string | undefined): Promise<{ config: RepoConfig; file?: string } | { problems: RepoConfigProblem[]; file: string }> {
  const file = configPath ?? path.join(directory, REPO_CONFIG_PATH);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && configPath === undefined) return { config: defaultRepoConfig };
    throw error;
  }
  const parsed = parseRepoConfig(text);
  return parsed.ok ? { config: parsed.config, file } : { problems: parsed.problems, file };
}

/** Runs the command; returns the exit code (tests call it directly, main.ts sets process.exitCode). */
export async function runCheckCommand(
  directory: string,
  options: CheckCommandOptions,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  try {
    if (!(await stat(directory)).isDirectory()) throw new Error("not a directory");
  } catch (error) {
    err(`iact-bot check: cannot read ${directory}: ${(error as Error).message}`);
    return EXIT_INVALID;
  }
  let loaded: Awaited<ReturnType<typeof readConfig>>;
  try {
    loaded = await readConfig(directory, options.config);
  } catch (error) {
    err(`iact-bot check: cannot read the configuration: ${(error as Error).message}`);
    return EXIT_INVALID;
  }
  if ("problems" in loaded) {
    const shown = path.relative(process.cwd(), loaded.file) || loaded.file;
    if (options.format === "json") out(JSON.stringify({ configuration: { file: shown, valid: false, problems: loaded.problems } }, null, 2));
    else for (const problem of loaded.problems) out(formatProblem(shown, problem));
    err(`iact-bot check: invalid configuration in ${shown}`);
    return EXIT_INVALID;
  }
  const { config } = loaded;
  // Flags name the checks to run (even one turned off in the file); no flag means the file decides.
  const unknown = (options.check ?? []).filter((name) => !CHECK_NAMES.includes(name as CheckName));
  if (unknown.length > 0) {
    err(`iact-bot check: unknown check ${unknown.map((name) => JSON.stringify(name)).join(", ")}; the checks are ${CHECK_NAMES.join(", ")}`);
    return EXIT_INVALID;
  }
  const named = (check: CheckName) => Boolean(options[check]) || (options.check ?? []).includes(check);
  const explicit = CHECK_NAMES.some(named);
  const requested: CheckName[] = explicit ? CHECK_NAMES.filter(named) : [...CHECK_NAMES];

  const files = await createLocalRepoFiles(directory);
  const reports: CheckReport[] = [];
  for (const check of requested) {
    const enabled = explicit || config.checks[check].enabled;
    if (!enabled) {
      reports.push({ check, conclusion: "skipped", enabled: false, rules: [], findings: [] });
      continue;
    }
    const forced: RepoConfig = {
      ...config,
      checks: {
        ...config.checks,
        [check]: { ...config.checks[check], enabled: true },
        maxFileBytes: options.maxFileBytes ?? config.checks.maxFileBytes,
      },
    };
    const result = await runEngine(check, files, forced.checks);
    reports.push({ check, conclusion: conclusionOf(result.findings), enabled: true, rules: result.rules, findings: result.findings });
  }

  const failed = reports.some((report) => report.conclusion === "failure");
  if (options.format === "json") {
    out(JSON.stringify({ directory, files: files.paths.length, conclusion: failed ? "failure" : "success", checks: reports }, null, 2));
  } else {
    for (const report of reports) for (const finding of report.findings) out(formatFinding(finding));
    for (const report of reports) {
      out(`${report.check}: ${report.enabled ? `${titleOf(report.findings).toLowerCase()} (${report.rules.length} rules, ${files.paths.length} files)` : "turned off in .github/iact.yml"}`);
    }
  }
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

export function checkCommand(program: Command): void {
  program
    .command("check")
    .description("run the repository checks (restrictions, docs, security) on a local checkout; exit 1 on a failure-level finding, 2 on invalid configuration")
    .argument("<dir>", "the checkout to check")
    .option("--restrictions", "run the restrictions check (RNF-002)")
    .option("--docs", "run the docs structure check")
    .option("--security", "run the security check (secrets, Django production settings, audit models)")
    .option("--check <name>", `run this check (${CHECK_NAMES.join(", ")}); repeatable`, (value: string, previous: string[] = []) => [...previous, value])
    .option("--format <format>", "text or json", "text")
    .option("--config <file>", `configuration file (default: <dir>/${REPO_CONFIG_PATH})`)
    .option("--max-file-bytes <bytes>", "files over this size get a too-large notice instead of being parsed (default: checks.maxFileBytes)", (value: string) => Number(value))
    .action(async (directory: string, options: CheckCommandOptions) => {
      if (options.maxFileBytes !== undefined && (!Number.isInteger(options.maxFileBytes) || options.maxFileBytes < 1)) {
        process.stderr.write("iact-bot check: --max-file-bytes must be a positive whole number of bytes\n");
        process.exitCode = EXIT_INVALID;
        return;
      }
      if (options.format !== "text" && options.format !== "json") {
        process.stderr.write(`iact-bot check: --format must be text or json, not ${String(options.format)}\n`);
        process.exitCode = EXIT_INVALID;
        return;
      }
      process.exitCode = await runCheckCommand(directory, options);
    });
}
