// Secrets must never reach a log line. Two nets: pino's `redact` removes the
// known places (headers, key fields), and scrubSecrets() replaces the values
// of the configured secrets and anything shaped like a GitHub token or a
// private key wherever they appear in a string (error messages included).

export const REDACTED = "[Redacted]";

export const redactPaths = [
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  "webhookSecret",
  "*.webhookSecret",
  "token",
  "*.token",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "request.headers.authorization",
  "*.request.headers.authorization",
  'headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature-256"]',
];

// ghp_, gho_, ghu_, ghs_, ghr_ and github_pat_ tokens; iact-bot API tokens.
const TOKEN_PATTERN = /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|iact_[A-Za-z0-9_-]{20,})\b/g;
const PRIVATE_KEY_PATTERN = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const BEARER_PATTERN = /\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{16,}/gi;

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text.replace(PRIVATE_KEY_PATTERN, REDACTED).replace(TOKEN_PATTERN, REDACTED).replace(BEARER_PATTERN, `$1 ${REDACTED}`);
  for (const secret of secrets) {
    if (secret && scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
  }
  return scrubbed;
}

/** Deep copy of a log object with every string scrubbed. */
export function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value, secrets);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  if (value instanceof Error) {
    // Its own fields (status, code ...) too; type, message and stack are not enumerable.
    for (const [key, item] of Object.entries(value)) copy[key] = scrubValue(item, secrets, depth + 1);
    return { ...copy, type: value.name, message: scrubSecrets(value.message, secrets), stack: value.stack && scrubSecrets(value.stack, secrets) };
  }
  for (const [key, item] of Object.entries(value)) copy[key] = scrubValue(item, secrets, depth + 1);
  return copy;
}

/** An error scrubValue() already turned into {type, message, stack}: pino's error serializer would rename its type "Object". */
export function isScrubbedError(value: unknown): boolean {
  return typeof value === "object" && value !== null && !(value instanceof Error) && typeof (value as { type?: unknown }).type === "string" && typeof (value as { message?: unknown }).message === "string";
}
