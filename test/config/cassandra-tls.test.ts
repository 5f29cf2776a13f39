import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cassandraTlsFromEnv } from "../../src/config/cassandra-tls.js";
import { cassandraSslOptions } from "../../src/logs/cassandra-client.js";

// The files only need to look like PEM here; test/logs/cassandra-tls.test.ts connects with real ones.
const folder = mkdtempSync(path.join(tmpdir(), "iact-tls-settings-"));
const CA = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----\n";
const files = { ca: path.join(folder, "ca.pem"), cert: path.join(folder, "client.pem"), key: path.join(folder, "client.key"), notPem: path.join(folder, "notes.txt") };
writeFileSync(files.ca, CA);
writeFileSync(files.cert, CERT);
writeFileSync(files.key, KEY);
writeFileSync(files.notPem, "not a certificate\n");

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("cassandraTlsFromEnv", () => {
  it.each<[string, Record<string, string>, unknown]>([
    ["off when nothing is set", {}, undefined],
    ["off when CASSANDRA_TLS is false", { CASSANDRA_TLS: "false" }, undefined],
    ["on with Node's CAs, checking certificates", { CASSANDRA_TLS: "true" }, { rejectUnauthorized: true }],
    ["on with a CA file", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CA_FILE: files.ca }, { ca: CA, rejectUnauthorized: true }],
    ["on with a client certificate and key", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CERT_FILE: files.cert, CASSANDRA_TLS_KEY_FILE: files.key }, { cert: CERT, key: KEY, rejectUnauthorized: true }],
    ["on without checking certificates", { CASSANDRA_TLS: "true", CASSANDRA_TLS_REJECT_UNAUTHORIZED: "false" }, { rejectUnauthorized: false }],
  ])("is %s", (_case, env, expected) => {
    expect(cassandraTlsFromEnv(env)).toEqual({ problems: [], ...(expected ? { tls: expected } : {}) });
  });

  it.each<[string, Record<string, string>, string]>([
    ["a CA file that does not exist", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CA_FILE: "/nonexistent/ca.pem" }, "CASSANDRA_TLS_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)"],
    ["a CA file that is a folder", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CA_FILE: folder }, `CASSANDRA_TLS_CA_FILE: cannot read ${folder} (EISDIR)`],
    ["a CA file that holds no certificate", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CA_FILE: files.notPem }, `CASSANDRA_TLS_CA_FILE: ${files.notPem} holds no PEM certificate (expected a -----BEGIN CERTIFICATE----- block)`],
    ["a key file that holds a certificate", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CERT_FILE: files.cert, CASSANDRA_TLS_KEY_FILE: files.cert }, `CASSANDRA_TLS_KEY_FILE: ${files.cert} holds no PEM private key (expected a -----BEGIN PRIVATE KEY----- block)`],
    ["a client certificate without its key", { CASSANDRA_TLS: "true", CASSANDRA_TLS_CERT_FILE: files.cert }, "CASSANDRA_TLS_KEY_FILE: is required when CASSANDRA_TLS_CERT_FILE is set"],
    ["a client key without its certificate", { CASSANDRA_TLS: "true", CASSANDRA_TLS_KEY_FILE: files.key }, "CASSANDRA_TLS_CERT_FILE: is required when CASSANDRA_TLS_KEY_FILE is set"],
    ["a CA file while TLS is off", { CASSANDRA_TLS_CA_FILE: files.ca }, "CASSANDRA_TLS_CA_FILE: is set but CASSANDRA_TLS is not true (set CASSANDRA_TLS=true to connect with TLS)"],
    ["a CASSANDRA_TLS that is not a boolean", { CASSANDRA_TLS: "yes" }, 'CASSANDRA_TLS: must be true or false, got "yes"'],
    ["a CASSANDRA_TLS_REJECT_UNAUTHORIZED that is not a boolean", { CASSANDRA_TLS: "true", CASSANDRA_TLS_REJECT_UNAUTHORIZED: "0" }, 'CASSANDRA_TLS_REJECT_UNAUTHORIZED: must be true or false, got "0"'],
  ])("refuses %s, naming the setting", (_case, env, problem) => {
    const { tls, problems } = cassandraTlsFromEnv(env);
    expect(problems).toEqual([problem]);
    expect(tls).toBeUndefined();
  });
});

describe("cassandraSslOptions", () => {
  it.each<[string, Parameters<typeof cassandraSslOptions>[0], ReturnType<typeof cassandraSslOptions>]>([
    // The driver's own default is rejectUnauthorized: false, so it is always passed.
    ["checks certificates against Node's CAs by default", { rejectUnauthorized: true }, { rejectUnauthorized: true }],
    ["trusts the configured CA", { ca: CA, rejectUnauthorized: true }, { ca: [CA], rejectUnauthorized: true }],
    ["presents a client certificate", { cert: CERT, key: KEY, rejectUnauthorized: true }, { cert: CERT, key: KEY, rejectUnauthorized: true }],
    ["accepts any certificate only when told to", { rejectUnauthorized: false }, { rejectUnauthorized: false }],
  ])("%s", (_case, tls, expected) => {
    expect(cassandraSslOptions(tls)).toEqual(expected);
  });
});
