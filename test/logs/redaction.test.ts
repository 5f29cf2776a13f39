// The second net under pino's redact paths: secret values and token-shaped
// strings are replaced wherever they appear in a log object.
import { describe, expect, it } from "vitest";
import { REDACTED, scrubSecrets, scrubValue } from "../../src/logs/redaction.js";

const GITHUB_TOKEN = `ghs_${"A1b2".repeat(9)}`;

describe("scrubSecrets", () => {
  it.each([
    ["an installation token", `using ${GITHUB_TOKEN} now`, `using ${REDACTED} now`],
    ["a fine-grained token", `github_pat_${"x".repeat(30)}`, REDACTED],
    ["an iact API token", `iact_${"k".repeat(43)}`, REDACTED],
    ["a bearer header", "Authorization: Bearer abcdefghijklmnopqrstu", `Authorization: Bearer ${REDACTED}`],
    ["a private key", "key: -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- end", `key: ${REDACTED} end`],
    ["a configured secret, every time it occurs", "s3cret and s3cret", `${REDACTED} and ${REDACTED}`],
  ])("replaces %s", (_label, text, expected) => {
    expect(scrubSecrets(text, ["s3cret"])).toBe(expected);
  });

  it("leaves ordinary text, short words after 'token' and empty secrets alone", () => {
    expect(scrubSecrets("token list printed 3 rows", [""])).toBe("token list printed 3 rows");
  });
});

describe("scrubValue", () => {
  it("copies nested objects, arrays and errors with every string scrubbed, leaving the input untouched", () => {
    const input = { request: { url: "/x", notes: [`a ${GITHUB_TOKEN}`] }, count: 3, err: new Error("failed with s3cret") };
    const output = scrubValue(input, ["s3cret"]) as { request: { notes: string[] }; count: number; err: { type: string; message: string } };
    expect(output.request.notes).toEqual([`a ${REDACTED}`]);
    expect(output.count).toBe(3);
    expect(output.err).toMatchObject({ type: "Error", message: `failed with ${REDACTED}` });
    expect(input.request.notes[0]).toContain(GITHUB_TOKEN);
  });

  it("stops descending past six levels instead of walking a deep or cyclic object", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(() => scrubValue(cyclic, [])).not.toThrow();
  });
});
