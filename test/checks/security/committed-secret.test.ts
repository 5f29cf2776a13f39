import { describe, expect, it } from "vitest";
import { fingerprintOf, findSecrets } from "../../../src/checks/security/rules/committed-secret.js";
import { securityConfigSchema } from "../../../src/checks/security/index.js";
import { brief, briefsFor, findingsFor, only, pemBlock, randomBody } from "./helpers.js";
import type { Case } from "./helpers.js";

const SECRETS = only("committed-secret");

const ghp = `ghp_${randomBody(36, 1)}`;
const fineGrained = `github_pat_${randomBody(22, 2)}_${randomBody(59, 3)}`;
const aws = `AKIA${randomBody(16, 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
const google = `AIza${randomBody(35, 5)}`;
const slack = `xoxb-${randomBody(12, 6, "0123456789")}-${randomBody(24, 7)}`;
const stripe = `sk_live_${randomBody(24, 8)}`;

const cases: Case[] = [
  { name: "a classic GitHub token in a config file", files: { "deploy/config.yml": `token: ${ghp}\n` }, expected: ["committed-secret deploy/config.yml:1 failure"] },
  ...["gho_", "ghu_", "ghs_", "ghr_"].map((prefix, index) => ({
    name: `a GitHub ${prefix} token`,
    files: { "app/client.py": `\nTOKEN = "${prefix}${randomBody(36, 20 + index)}"\n` },
    expected: ["committed-secret app/client.py:2 failure"],
  })),
  { name: "a fine-grained GitHub token", files: { ".env.production": `GITHUB_TOKEN=${fineGrained}\n` }, expected: ["committed-secret .env.production:1 failure"] },
  { name: "an AWS access key id", files: { "infra/main.tf": `access_key = "${aws}"\n` }, expected: ["committed-secret infra/main.tf:1 failure"] },
  { name: "a temporary AWS key (ASIA)", files: { "x.sh": `export AWS_ACCESS_KEY_ID=ASIA${randomBody(16, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}\n` }, expected: ["committed-secret x.sh:1 failure"] },
  { name: "a Google API key", files: { "web/maps.js": `const key = '${google}';\n` }, expected: ["committed-secret web/maps.js:1 failure"] },
  { name: "a Slack bot token", files: { "bot.py": `SLACK = "${slack}"\n` }, expected: ["committed-secret bot.py:1 failure"] },
  {
    name: "a Slack incoming webhook URL",
    files: { "notify.py": `URL = "https://hooks.slack.com/services/T${randomBody(8, 10, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")}/B${randomBody(8, 11, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")}/${randomBody(24, 12)}"\n` },
    expected: ["committed-secret notify.py:1 failure"],
  },
  { name: "a Stripe live key", files: { "billing/settings.py": `STRIPE = "${stripe}"\n` }, expected: ["committed-secret billing/settings.py:1 failure"] },
  { name: "a Stripe restricted live key", files: { "b.py": `K = "rk_live_${randomBody(30, 13)}"\n` }, expected: ["committed-secret b.py:1 failure"] },
  ...["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"].map((label, index) => ({
    name: `a PEM ${label}`,
    files: { "keys/id": `# deploy key\n${pemBlock(label, 100 + index * 10)}\n` },
    expected: ["committed-secret keys/id:2 failure"],
  })),
  {
    name: "a PGP private key block, with armour headers",
    files: { "signing.asc": pemBlock("PGP PRIVATE KEY BLOCK", 200).replace("-----\n", "-----\nVersion: GnuPG v2\n\n") },
    expected: ["committed-secret signing.asc:1 failure"],
  },
  {
    name: "a private key pasted into one string literal with \\n escapes",
    files: { "app/keys.py": `KEY = "${pemBlock("RSA PRIVATE KEY", 300).replace(/\n/g, "\\n")}"\n` },
    expected: ["committed-secret app/keys.py:1 failure"],
  },
  { name: "two secrets on one line are two findings", files: { "a.txt": `${ghp} ${google}\n` }, expected: ["committed-secret a.txt:1 failure", "committed-secret a.txt:1 failure"] },
  // In test paths: a notice, since test suites carry throw-away keys on purpose.
  { name: "a key in a test fixture is a notice", files: { "tests/fixtures/key.pem": pemBlock("PRIVATE KEY", 400) }, expected: ["committed-secret tests/fixtures/key.pem:1 notice"] },
  { name: "a token in a *.test.ts file is a notice", files: { "src/api.test.ts": `const token = "${ghp}";\n` }, expected: ["committed-secret src/api.test.ts:1 notice"] },
  {
    name: "testPaths replaces the default list",
    files: { "tests/key.pem": pemBlock("PRIVATE KEY", 400) },
    section: { testPaths: ["qa/**"] },
    expected: ["committed-secret tests/key.pem:1 failure"],
  },
];

// Traps: each must stay silent.
const traps: Case[] = [
  { name: "AWS's documented example key id", files: { "docs/aws.md": "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n" }, expected: [] },
  { name: "AWS's other documented example", files: { "README.md": "AKIAI44QH8DHBEXAMPLE\n" }, expected: [] },
  { name: "a placeholder GitHub token of x's", files: { "README.md": `export GITHUB_TOKEN=ghp_${"x".repeat(36)}\n` }, expected: [] },
  { name: "a placeholder of one repeated pattern", files: { "README.md": `ghp_${"ab12".repeat(9)}\n` }, expected: [] },
  { name: "a Slack token placeholder", files: { "README.md": "SLACK_TOKEN=xoxb-your-token-here\n" }, expected: [] },
  { name: "Slack's documented example webhook", files: { "docs/slack.md": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n" }, expected: [] },
  { name: "a Stripe test-mode key", files: { "billing.py": `K = "sk_test_${randomBody(24, 14)}"\n` }, expected: [] },
  { name: "a prefix too short to be a token", files: { "a.py": 'T = "ghp_abc123"\nU = "ghs_test"\n' }, expected: [] },
  { name: "a token inside a longer word", files: { "a.txt": `xghp_${randomBody(36, 15)}\n` }, expected: [] },
  { name: "a BEGIN line in a regular expression, without a key", files: { "redact.ts": "const KEY = /-----BEGIN (RSA )?PRIVATE KEY-----[\\s\\S]*?-----END/;\n" }, expected: [] },
  { name: "a documented key with its body elided", files: { "docs/keys.md": "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n" }, expected: [] },
  { name: "a public key", files: { "keys/id.pub": pemBlock("PUBLIC KEY", 500) }, expected: [] },
  { name: "a certificate", files: { "certs/ca.pem": pemBlock("CERTIFICATE", 600) }, expected: [] },
  { name: "a path allowed by the allow list", files: { "vendor/keys/test.pem": pemBlock("PRIVATE KEY", 700) }, section: { allow: [{ paths: ["vendor/keys/**"], reason: "upstream test keys" }] }, expected: [] },
  { name: "ignored vendored code", files: { "node_modules/pkg/key.pem": pemBlock("PRIVATE KEY", 800) }, expected: [] },
  // Media and archives are not read: no finding, and no binary-file notice per image on every pull request.
  { name: "images, fonts and archives are not read", files: { "static/logo.png": `\u0000PNG${ghp}`, "fonts/a.woff2": `\u0000${ghp}`, "dist/app.whl": ghp }, expected: [] },
];

describe("committed-secret", () => {
  it.each([...cases, ...traps])("$name", async ({ files, expected, section }) => {
    expect(await briefsFor(files, { ...SECRETS, ...section })).toEqual(expected);
  });

  it("shows the documented prefix and the fingerprint, never the secret", async () => {
    const findings = await findingsFor({ "deploy/.env": `A=${ghp}\nB=${aws}\n${pemBlock("RSA PRIVATE KEY", 900)}\n` }, SECRETS);
    expect(findings).toHaveLength(3);
    const secretParts = [ghp.slice(4), aws.slice(4), pemBlock("RSA PRIVATE KEY", 900).split("\n")[1]!.slice(0, 20)];
    for (const finding of findings) {
      for (const part of secretParts) expect(finding.message).not.toContain(part);
      expect(finding.message).toMatch(/fingerprint sha256:[0-9a-f]{64}/);
    }
    expect(findings[0]!.message).toContain('A GitHub personal access token (classic) is committed: "ghp_…"');
    expect(findings[0]!.message).toContain(fingerprintOf(ghp));
    expect(findings[0]).toMatchObject({ startLine: 1, startColumn: 3, endColumn: 3 + ghp.length });
    expect(findings[2]!.message).toContain('"-----BEGIN RSA PRIVATE KEY-----…"');
    expect(findings[2]).toMatchObject({ startLine: 3, endLine: 10 });
  });

  it("stays silent for a secret whose fingerprint is allowed, in the allowed paths only", async () => {
    const files = { "docs/example.md": `token ${ghp}\n`, "app/prod.env": `T=${ghp}\n` };
    const fingerprint = findSecrets(`${ghp}`)[0]!.fingerprint;
    expect(fingerprint).toBe(fingerprintOf(ghp));
    expect(await briefsFor(files, { ...SECRETS, allow: [{ fingerprint }] })).toEqual([]);
    expect(await briefsFor(files, { ...SECRETS, allow: [{ fingerprint: fingerprint.toUpperCase().replace("SHA256", "sha256"), paths: ["docs/**"] }] })).toEqual([
      "committed-secret app/prod.env:1 failure",
    ]);
  });

  it("is a warning when the rule is set to warning, and nothing when off", async () => {
    const files = { "a.env": `T=${ghp}\n` };
    expect(await briefsFor(files, { ...SECRETS, rules: { "committed-secret": "warning" } })).toEqual(["committed-secret a.env:1 warning"]);
    expect(await briefsFor(files, { ...SECRETS, rules: { "committed-secret": "off" } })).toEqual([]);
  });

  it("caps findings at 100 per file", async () => {
    const lines = Array.from({ length: 150 }, (_, index) => `ghp_${randomBody(36, 1000 + index)}`);
    const findings = await findingsFor({ "dump.txt": lines.join("\n") }, SECRETS);
    expect(findings.map(brief).filter((line) => line.startsWith("committed-secret"))).toHaveLength(100);
  });

  it("refuses an allow entry without a fingerprint or paths, and a fingerprint that is not a SHA-256", () => {
    const empty = securityConfigSchema.safeParse({ allow: [{ reason: "why" }] });
    expect(empty.error?.issues.map((issue) => issue.message)).toEqual(["an allow entry needs a fingerprint, paths, or both"]);
    const raw = securityConfigSchema.safeParse({ allow: [{ fingerprint: ghp }] });
    expect(raw.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["allow.0.fingerprint", 'a fingerprint is "sha256:" and 64 hex digits, as the finding shows it'],
    ]);
  });
});
