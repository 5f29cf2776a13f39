// A throwaway certificate authority and a certificate it signed for
// 127.0.0.1, made with the openssl command line, for tests of TLS
// connections. Elliptic-curve keys: generated in milliseconds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCertificates {
  folder: string;
  /** Paths of the PEM files. */
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Their contents. */
  ca: string;
  cert: string;
  key: string;
}

export function opensslAvailable(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A new CA (`name` in its subject) and a certificate for 127.0.0.1 signed by it, in a new temporary folder. */
export function makeTestCertificates(name: string): TestCertificates {
  const folder = mkdtempSync(path.join(tmpdir(), "iact-tls-"));
  const file = (base: string) => path.join(folder, base);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: folder, stdio: "pipe" });
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ecKey, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", `/CN=${name}`);
  openssl("req", ...ecKey, "-keyout", "node.key", "-out", "node.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(file("node.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "node.pem", "-days", "2", "-extfile", "node.ext");
  const read = (base: string) => readFileSync(file(base), "utf8");
  return { folder, caFile: file("ca.pem"), certFile: file("node.pem"), keyFile: file("node.key"), ca: read("ca.pem"), cert: read("node.pem"), key: read("node.key") };
}
