// Benchmarks whose cases must not share a heap (peak RSS is per process):
// the bench file runs itself once per case with `--case <name>`, and the
// case prints one JSON line of figures on stdout.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `benchFile --case name` for each name in a child process; returns each case's figures, logging them as they come. */
export async function runCasesInOwnProcesses<Figures>(benchFile: string, names: readonly string[], label: string): Promise<Record<string, Figures>> {
  const cases: Record<string, Figures> = {};
  for (const name of names) {
    const { stdout } = await run(process.execPath, ["--import", "tsx", benchFile, "--case", name], { maxBuffer: 1 << 20 });
    cases[name] = JSON.parse(stdout.trim()) as Figures;
    console.error(`${label} ${name}: ${stdout.trim()}`);
  }
  return cases;
}
