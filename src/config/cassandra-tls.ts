// TLS to Cassandra: the CASSANDRA_TLS* settings, read and checked once.
// loadConfig() reports their problems with every other setting's at start;
// src/logs/cassandra-client.ts turns the result into the driver's sslOptions.
import { readPemFile } from "./pem-file.js";

export interface CassandraTls {
  /** PEM of the CA that signed the nodes' certificates; Node's own CAs when absent. */
  ca?: string;
  /** Client certificate and key, for nodes that require them (require_client_auth). */
  cert?: string;
  key?: string;
  /** false accepts any certificate: encryption without knowing who answers. */
  rejectUnauthorized: boolean;
}

const FILE_SETTINGS = ["CASSANDRA_TLS_CA_FILE", "CASSANDRA_TLS_CERT_FILE", "CASSANDRA_TLS_KEY_FILE"] as const;

/** The TLS settings (undefined: plain TCP) and every problem with them. */
export function cassandraTlsFromEnv(env: Readonly<Record<string, string | undefined>>): { tls?: CassandraTls; problems: string[] } {
  const problems: string[] = [];
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const flag = (name: string, fallback: boolean): boolean => {
    const value = text(name);
    if (value === undefined) return fallback;
    if (value === "true" || value === "false") return value === "true";
    problems.push(`${name}: must be true or false, got "${value}"`);
    return fallback;
  };

  const enabled = flag("CASSANDRA_TLS", false);
  const rejectUnauthorized = flag("CASSANDRA_TLS_REJECT_UNAUTHORIZED", true);
  if (!enabled) {
    for (const name of [...FILE_SETTINGS, "CASSANDRA_TLS_REJECT_UNAUTHORIZED"]) {
      if (text(name) !== undefined) problems.push(`${name}: is set but CASSANDRA_TLS is not true (set CASSANDRA_TLS=true to connect with TLS)`);
    }
    return { problems };
  }

  const [caFile, certFile, keyFile] = FILE_SETTINGS.map(text);
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push(certFile === undefined ? "CASSANDRA_TLS_CERT_FILE: is required when CASSANDRA_TLS_KEY_FILE is set" : "CASSANDRA_TLS_KEY_FILE: is required when CASSANDRA_TLS_CERT_FILE is set");
  }
  const read = (setting: string, path: string | undefined, kind: "certificate" | "private key"): string | undefined => {
    if (path === undefined) return undefined;
    const file = readPemFile(setting, path, kind);
    if ("problem" in file) {
      problems.push(file.problem);
      return undefined;
    }
    return file.pem;
  };
  const ca = read("CASSANDRA_TLS_CA_FILE", caFile, "certificate");
  const cert = read("CASSANDRA_TLS_CERT_FILE", certFile, "certificate");
  const key = read("CASSANDRA_TLS_KEY_FILE", keyFile, "private key");
  if (problems.length > 0) return { problems };
  return { tls: { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}), rejectUnauthorized }, problems };
}
