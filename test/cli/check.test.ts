// `iact-bot check` as a user runs it: the real CLI in a child process, on
// fixture checkouts, with no database and no app credentials in its environment.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_TEST_TIMEOUT_MS, runCli, type CliResult } from "../support/cli.js";

const FIXTURES = "test/fixtures/checks";

/** `iact-bot check` with a bare environment: no DATABASE_URL, APP_ID or key. */
function cli(...args: string[]): Promise<CliResult> {
  return runCli(["check", ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } });
}

// Eight CLI processes at once on a loaded machine: each test gets the CLI budget, not vitest's 30 s.
describe.concurrent("iact-bot check", { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let outsideGit: string;

  beforeAll(async () => {
    // A copy outside any git checkout, with a node_modules folder the walk must skip.
    outsideGit = await mkdtemp(path.join(tmpdir(), "iact-check-"));
    await cp(`${FIXTURES}/violating`, outsideGit, { recursive: true });
    await mkdir(path.join(outsideGit, "node_modules/pkg"), { recursive: true });
    await writeFile(path.join(outsideGit, "node_modules/pkg/requirements.txt"), "redis\n");
  });

  afterAll(async () => {
    await rm(outsideGit, { recursive: true, force: true });
  });

  it("prints each finding as path:line:col level rule message and exits 1 on a failure", async () => {
    const { code, stdout } = await cli(`${FIXTURES}/violating`);
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines.slice(0, 4).map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual([
      "app/mail.py:5:5 failure no-email-sending",
      "requirements.txt:2:1 failure no-redis-dependency",
      "docs/guide.md:3:5 failure broken-link",
      "docs/guide.md:3:31 warning missing-anchor",
    ]);
    expect(lines.slice(4)).toEqual([
      "restrictions: 2 failures (6 rules, 4 files)",
      "docs: 1 failure, 1 warning (4 rules, 4 files)",
      "security: no problems found (7 rules, 4 files)",
    ]);
  });

  it("runs only the checks named by flags and prints JSON with --format json", async () => {
    const { code, stdout } = await cli("--restrictions", "--format", "json", `${FIXTURES}/violating`);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { conclusion: string; checks: Array<{ check: string; findings: Array<{ ruleId: string; path: string; startLine: number }> }> };
    expect(report.conclusion).toBe("failure");
    expect(report.checks.map((check) => check.check)).toEqual(["restrictions"]);
    expect(report.checks[0]!.findings.map((finding) => `${finding.path}:${finding.startLine} ${finding.ruleId}`)).toEqual([
      "app/mail.py:5 no-email-sending",
      "requirements.txt:2 no-redis-dependency",
    ]);
  });

  it("exits 0 on a clean checkout", async () => {
    const { code, stdout } = await cli(`${FIXTURES}/clean`);
    expect(code).toBe(0);
    expect(stdout).toBe("restrictions: no problems found (6 rules, 4 files)\ndocs: no problems found (4 rules, 4 files)\nsecurity: no problems found (7 rules, 4 files)\n");
  });

  it("exits 2 with each problem and its line when .github/iact.yml is invalid", async () => {
    const { code, stdout, stderr } = await cli(`${FIXTURES}/invalid-config`);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^test\/fixtures\/checks\/invalid-config\/\.github\/iact\.yml:6:28 error checks\.restrictions\.rules\.no-redis-dependency: invalid value/);
    expect(stderr).toContain("invalid configuration");
  });

  it("follows the file for a check turned off, unless the check is named by a flag", async () => {
    const byFile = await cli(`${FIXTURES}/docs-off`);
    expect(byFile.code).toBe(0);
    expect(byFile.stdout).toContain("docs: turned off in .github/iact.yml");
    const byFlag = await cli("--docs", `${FIXTURES}/docs-off`);
    // docs/ without docs/INDICE.md in that checkout: the forced docs check reports it.
    expect(byFlag.code).toBe(1);
    expect(byFlag.stdout).toContain("docs/INDICE.md:1:1 failure index-entry-missing");
  });

  it("reads another configuration file with --config", async () => {
    const { code, stdout } = await cli("--config", `${FIXTURES}/docs-off/.github/iact.yml`, `${FIXTURES}/violating`);
    expect(code).toBe(1);
    expect(stdout).toContain("docs: turned off in .github/iact.yml");
    expect(stdout).toContain("restrictions: 2 failures");
  });

  it("walks a directory that is not a git checkout, skipping node_modules", async () => {
    const { code, stdout } = await cli("--restrictions", outsideGit);
    expect(code).toBe(1);
    expect(stdout).not.toContain("node_modules");
    expect(stdout).toContain("restrictions: 2 failures (6 rules, 4 files)");
  });

  it("skips a file over --max-file-bytes with one too-large notice, and rejects a bad limit", async () => {
    const { code, stdout } = await cli("--restrictions", "--max-file-bytes", "1024", outsideGit);
    expect(code).toBe(1);
    expect(stdout).not.toContain("too-large");
    const small = await cli("--restrictions", "--max-file-bytes", "8", outsideGit);
    expect(small.stdout).toMatch(/^requirements\.txt:1:1 notice too-large Not checked: \d+ bytes is over the 8-byte limit/m);
    const bad = await cli("--max-file-bytes", "lots", outsideGit);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-file-bytes must be a positive whole number");
  });

  it("runs the security check alone with --check security, without printing the secret", async () => {
    const checkout = await mkdtemp(path.join(tmpdir(), "iact-check-security-"));
    try {
      // Built at run time, so that no file of this repository holds a token.
      const token = `ghp_${"Zq3x9Lw2Kp7Rt5Vm8Nc4Hd6Jf1Gb0Ys2Ua7e"}`;
      await mkdir(path.join(checkout, "proj"), { recursive: true });
      await writeFile(path.join(checkout, "deploy.env"), `GITHUB_TOKEN=${token}\n`);
      await writeFile(path.join(checkout, "proj/settings.py"), 'DEBUG = True\nSECRET_KEY = os.environ["K"]\nALLOWED_HOSTS = ["app.example.com"]\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n');
      const { code, stdout } = await cli("--check", "security", checkout);
      expect(code).toBe(1);
      expect(stdout.split("\n").map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual([
        "deploy.env:1:14 failure committed-secret",
        "proj/settings.py:1:1 failure django-debug",
        "security: 2 failures",
        "",
      ]);
      expect(stdout).toContain("security: 2 failures (7 rules, 2 files)");
      expect(stdout).not.toContain(token.slice(4));
      const unknown = await cli("--check", "secrets", checkout);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown check "secrets"; the checks are restrictions, docs, security');
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  });

  it("exits 2 when the directory does not exist", async () => {
    const { code, stderr } = await cli(path.join(outsideGit, "missing"));
    expect(code).toBe(2);
    expect(stderr).toContain("cannot read");
  });
});
