import { runSecurity, securityConfigSchema } from "../../../src/checks/security/index.js";
import type { Finding } from "../../../src/checks/types.js";
import { brief } from "../restrictions/helpers.js";
import { memoryFiles } from "../restrictions/memory-files.js";

export { brief };

/** One row of a rule's table: files, the `checks.security` settings beyond the defaults, the findings as `brief` writes them. */
export interface Case {
  name: string;
  files: Record<string, string>;
  expected: string[];
  section?: Record<string, unknown>;
}

/** Runs the engine on in-memory files with a `checks.security` section (defaults when omitted). */
export async function findingsFor(files: Record<string, string>, section: unknown = {}): Promise<Finding[]> {
  const result = await runSecurity(memoryFiles(files), securityConfigSchema.parse(section));
  return result.findings;
}

export async function briefsFor(files: Record<string, string>, section: unknown = {}): Promise<string[]> {
  return (await findingsFor(files, section)).map(brief);
}

const RULE_IDS = ["committed-secret", "django-debug", "django-secret-key", "django-allowed-hosts", "django-insecure-cookies", "audit-model-mutable"];

/** Only one rule enabled: keeps tables about that rule free of the others' findings. */
export function only(ruleId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const rules = Object.fromEntries(RULE_IDS.map((id) => [id, id === ruleId ? "failure" : "off"]));
  return { rules, ...extra };
}

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random-looking secret body of `length` characters from `alphabet`, the
 * same for the same seed. Tests build secrets at run time so that no file of
 * this repository holds one in a scannable form.
 */
export function randomBody(length: number, seed: number, alphabet = BASE62): string {
  let state = seed >>> 0 || 1;
  let out = "";
  for (let k = 0; k < length; k++) {
    // xorshift32: deterministic, and varied enough to look like a real token.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

/** A PEM block with `lines` lines of 64 base64 characters. */
export function pemBlock(label: string, seed: number, lines = 6): string {
  const alphabet = `${BASE62}+/`;
  const body = Array.from({ length: lines }, (_, index) => randomBody(64, seed + index, alphabet));
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join("\n");
}
