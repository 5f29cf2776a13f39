// committed-secret: every text file is searched for secrets in their
// issuers' documented formats. A finding names the kind of secret, its
// documented prefix and its SHA-256 fingerprint, never the secret: the
// annotation, the summary and the logs are read by more people than the
// repository.

import { createHash } from "node:crypto";
import type { FindingLevel } from "../../types.js";
import { globMatcher, type Matcher, type RuleContext } from "../../restrictions/context.js";
import { LineIndex, normaliseNewlines } from "../../restrictions/python-lexer.js";
import type { AllowEntry } from "../config.js";
import { COMMITTED_SECRET } from "../rules.js";
import { isHandTyped, isPlaceholder, MIN_PRIVATE_KEY_BODY, PRIVATE_KEY_BEGIN, SECRET_PATTERNS } from "../secret-patterns.js";

/**
 * Media, fonts, archives and compiled files are not read at all: a secret is
 * not typed into a PNG, and reading them would only give every image its
 * own binary-file notice on every pull request.
 */
const NOT_SCANNED = /\.(png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|eps|ai|svgz|pdf|woff2?|ttf|otf|eot|mp3|mp4|m4a|wav|flac|ogg|webm|mov|avi|zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|whl|egg|so|dylib|dll|exe|class|pyc|pyo|o|a|mo|sqlite3?|db)$/i;

/** Whether committed-secret reads the file: everything but the binary formats above. */
export function isScannedForSecrets(path: string): boolean {
  return !NOT_SCANNED.test(path);
}

/** Findings per file are capped so one generated file cannot flood the check run. */
const MAX_SECRETS_PER_FILE = 100;

/** How far after a BEGIN line its END line is looked for (a 16384-bit RSA key is about 12 KB). */
const MAX_PRIVATE_KEY_CHARS = 64 * 1024;

export interface FoundSecret {
  /** What it is: "GitHub personal access token (classic)". */
  name: string;
  /** The documented prefix, the only part of the secret a message shows: "ghp_", "-----BEGIN RSA PRIVATE KEY-----". */
  shownPrefix: string;
  /** "sha256:" and the hex SHA-256 of the secret. */
  fingerprint: string;
  /** Offsets in the newline-normalised text; end exclusive. */
  start: number;
  end: number;
}

export function fingerprintOf(secret: string): string {
  return `sha256:${createHash("sha256").update(secret, "utf8").digest("hex")}`;
}

/** Pure: the secrets in one text, placeholders left out. */
export function findSecrets(text: string): FoundSecret[] {
  const found: FoundSecret[] = [];
  for (const pattern of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      const prefix = match[1] ?? "";
      const random = match[2] ?? "";
      if (isPlaceholder(random)) continue;
      found.push({ name: pattern.name, shownPrefix: prefix, fingerprint: fingerprintOf(match[0]), start: match.index, end: match.index + match[0].length });
    }
  }
  for (const match of text.matchAll(PRIVATE_KEY_BEGIN)) {
    const label = match[1] ?? "PRIVATE KEY";
    const bodyStart = match.index + match[0].length;
    const endMarker = `-----END ${label}-----`;
    const endAt = text.slice(bodyStart, bodyStart + MAX_PRIVATE_KEY_CHARS).indexOf(endMarker);
    // A BEGIN line with no END is a pattern or a message about keys, not a key.
    if (endAt === -1) continue;
    const body = keyBody(text.slice(bodyStart, bodyStart + endAt));
    if (body.length < MIN_PRIVATE_KEY_BODY || isHandTyped(body)) continue;
    found.push({
      name: label === "PGP PRIVATE KEY BLOCK" ? "PGP private key" : `private key (${label})`,
      shownPrefix: match[0],
      fingerprint: fingerprintOf(body),
      start: match.index,
      end: bodyStart + endAt + endMarker.length,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The base64 of a key's armour: PEM headers (`Proc-Type: …`) and OpenPGP
 * armour headers (`Version: …`) dropped, and the `\n` escapes and quotes of
 * a key pasted into a string literal ("-----BEGIN…\nMIIE…") taken out.
 */
function keyBody(armour: string): string {
  return armour
    .replace(/\\[nr]/g, "\n")
    .split("\n")
    .filter((line) => !/^\s*[A-Za-z-]+: /.test(line))
    .join("")
    .replace(/[^A-Za-z0-9+/=]/g, "");
}

interface Allowance {
  fingerprint?: string;
  paths: Matcher;
}

function allowances(allow: readonly AllowEntry[]): { files: Matcher; secrets: Allowance[] } {
  const pathOnly = allow.filter((entry) => entry.fingerprint === undefined).flatMap((entry) => entry.paths ?? []);
  const secrets = allow
    .filter((entry) => entry.fingerprint !== undefined)
    .map((entry) => ({ fingerprint: entry.fingerprint, paths: entry.paths ? globMatcher(entry.paths) : () => true }));
  return { files: globMatcher(pathOnly), secrets };
}

export async function checkCommittedSecrets(
  context: RuleContext,
  paths: readonly string[],
  level: FindingLevel,
  options: { allow: readonly AllowEntry[]; testPaths: readonly string[] },
): Promise<void> {
  const { files: allowedFiles, secrets: allowedSecrets } = allowances(options.allow);
  const inTests = globMatcher(options.testPaths);
  for (const path of paths) {
    if (allowedFiles(path) || !isScannedForSecrets(path)) continue;
    const raw = await context.read(path);
    if (raw === undefined) continue;
    const text = normaliseNewlines(raw);
    const secrets = findSecrets(text).filter(
      (secret) => !allowedSecrets.some((allowed) => allowed.fingerprint === secret.fingerprint && allowed.paths(path)),
    );
    if (secrets.length === 0) continue;
    const index = new LineIndex(text);
    const test = inTests(path);
    for (const secret of secrets.slice(0, MAX_SECRETS_PER_FILE)) {
      const start = index.position(secret.start);
      const end = index.position(secret.end);
      const where = test ? " in a test path (a notice: test keys are expected there; a real one must still be revoked)" : "";
      context.report(COMMITTED_SECRET, test ? "notice" : level, {
        path,
        startLine: start.line,
        endLine: end.line,
        startColumn: start.column,
        endColumn: end.column,
        message:
          `A ${secret.name} is committed${where}: "${secret.shownPrefix}…" (fingerprint ${secret.fingerprint}). ` +
          "Revoke it with its issuer now (it stays in the history after the line is deleted), then read it from the environment or a secret store. " +
          "If it is not a secret, add its fingerprint to checks.security.allow.",
      });
    }
  }
}
