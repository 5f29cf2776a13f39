// The secrets committed-secret looks for: only formats their issuer
// documents (a fixed prefix, a charset, a length), each with its source in
// docs/rules/security.md. A pattern without a documented prefix (a bare
// 40-character AWS secret key, a random password) cannot be told from any
// other string, so it is not guessed at.

export interface SecretPattern {
  /** Stable id, shown in the finding: "github-pat-classic". */
  id: string;
  /** What it is, for the message: "GitHub personal access token (classic)". */
  name: string;
  /** Matches the whole secret; group 1 is the documented prefix, group 2 the random part. */
  regex: RegExp;
}

// A token's own characters on either side mean we matched inside a longer word.
const EDGE_BEFORE = "(?<![A-Za-z0-9_])";
const EDGE_AFTER = "(?![A-Za-z0-9_])";

function token(id: string, name: string, prefix: string, body: string, after = EDGE_AFTER): SecretPattern {
  return { id, name, regex: new RegExp(`${EDGE_BEFORE}(${prefix})(${body})${after}`, "g") };
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // GitHub: "Behind GitHub's new authentication token formats" (github.blog, 2021) and
  // "GitHub's token formats" in GitHub Docs. 36 characters after the prefix today;
  // GitHub reserves the right to make them longer, so longer bodies match too.
  token("github-pat-classic", "GitHub personal access token (classic)", "ghp_", "[A-Za-z0-9]{36,251}"),
  token("github-oauth", "GitHub OAuth access token", "gho_", "[A-Za-z0-9]{36,251}"),
  token("github-user-to-server", "GitHub App user access token", "ghu_", "[A-Za-z0-9]{36,251}"),
  token("github-server-to-server", "GitHub App installation access token", "ghs_", "[A-Za-z0-9]{36,251}"),
  token("github-refresh", "GitHub App refresh token", "ghr_", "[A-Za-z0-9]{36,251}"),
  // Fine-grained personal access tokens: github_pat_, 22 characters, "_", 59 characters.
  token("github-pat-fine-grained", "GitHub fine-grained personal access token", "github_pat_", "[A-Za-z0-9]{22}_[A-Za-z0-9]{59,200}"),
  // AWS IAM "Unique identifier prefixes": AKIA an access key, ASIA a temporary (STS) one; 20 characters in all.
  { id: "aws-access-key-id", name: "AWS access key id", regex: /(?<![A-Za-z0-9])(AKIA|ASIA)([A-Z0-9]{16})(?![A-Za-z0-9])/g },
  // Google Cloud API keys: "AIza" and 35 characters of [A-Za-z0-9_-].
  { id: "google-api-key", name: "Google API key", regex: /(?<![A-Za-z0-9_-])(AIza)([A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g },
  // Slack "Token types": xoxb- bot, xoxp- user, xoxa- workspace, xoxr- refresh, xoxs- session tokens.
  { id: "slack-token", name: "Slack token", regex: /(?<![A-Za-z0-9_-])(xox[abprs]-)([A-Za-z0-9-]{10,250})(?![A-Za-z0-9_-])/g },
  // Slack incoming webhooks: https://hooks.slack.com/services/T…/B…/… (anyone with the URL can post).
  {
    id: "slack-webhook",
    name: "Slack incoming webhook URL",
    regex: /(https:\/\/hooks\.slack\.com\/services\/)(T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})(?![A-Za-z0-9])/g,
  },
  // Stripe "API keys": live secret keys sk_live_, live restricted keys rk_live_ (test-mode keys are not secrets of money).
  token("stripe-live-key", "Stripe live secret key", "[sr]k_live_", "[A-Za-z0-9]{24,247}"),
];

/**
 * PEM and OpenPGP armour of private keys: PKCS#8 `PRIVATE KEY` and
 * `ENCRYPTED PRIVATE KEY` (RFC 7468), `RSA`/`DSA`/`EC PRIVATE KEY` (OpenSSL's
 * traditional forms, RFC 5915 for EC), `OPENSSH PRIVATE KEY` (OpenSSH's
 * PROTOCOL.key) and `PGP PRIVATE KEY BLOCK` (RFC 4880, section 6.2).
 */
export const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY|PGP PRIVATE KEY BLOCK)-----/g;

/** Fewer base64 characters than this between BEGIN and END is a placeholder ("..."), not a key. */
export const MIN_PRIVATE_KEY_BODY = 64;

/** Words that only an example or a placeholder contains (compared lower-case). */
const PLACEHOLDER_WORDS = ["example", "sample", "dummy", "placeholder", "your", "fake", "redacted", "changeme", "xxxx", "0000", "1234", "abcd"];

/**
 * Whether the random part of a token is typed by hand: a real random body of
 * n characters holds many distinct characters, so fewer than n/4 (at most 16
 * asked for: base64 has only 64) means `ghp_xxxx…` or `ab12ab12…`.
 */
export function isHandTyped(randomPart: string): boolean {
  const distinct = new Set(randomPart.replace(/[-_/+=]/g, "")).size;
  return distinct < Math.min(16, Math.ceil(randomPart.length / 4));
}

/**
 * Whether the random part of a token is an example or a placeholder:
 * AWS's documented `AKIAIOSFODNN7EXAMPLE`, `ghp_xxxxxxxx…`, `xoxb-your-token`,
 * `sk_live_0000…`. (Not used on private keys: hundreds of base64 characters
 * contain such words by chance.)
 */
export function isPlaceholder(randomPart: string): boolean {
  const lower = randomPart.toLowerCase();
  return PLACEHOLDER_WORDS.some((word) => lower.includes(word)) || isHandTyped(randomPart);
}
