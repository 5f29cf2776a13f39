// A PEM file a setting points at (a CA certificate, a client certificate or
// key), read once at start: an unreadable file or one that is not PEM is a
// configuration problem naming the setting, not a TLS error at first connect.
import { readFileSync } from "node:fs";

export type PemKind = "certificate" | "private key";

const PEM_BLOCK: Record<PemKind, RegExp> = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  "private key": /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/,
};

/** The file's text, or the problem with it in the form `SETTING: ...`. */
export function readPemFile(setting: string, path: string, kind: PemKind): { pem: string } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { problem: `${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (!PEM_BLOCK[kind].test(text)) return { problem: `${setting}: ${path} holds no PEM ${kind} (expected a -----BEGIN ${kind === "certificate" ? "CERTIFICATE" : "PRIVATE KEY"}----- block)` };
  return { pem: text };
}
