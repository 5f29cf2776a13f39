// TLS to Cassandra, end to end: a TLS-terminating proxy in front of the real
// Cassandra stands for a node that requires TLS, with a certificate signed by
// a CA the test makes with openssl. The service's own client and its log
// store's worker thread connect with CASSANDRA_TLS and the CA file; a client
// that does not trust that CA is refused.
import { rmSync } from "node:fs";
import type { Client } from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cassandraSettingsFromEnv, createCassandraClient } from "../../src/logs/cassandra-client.js";
import type { CassandraSettings } from "../../src/logs/cassandra-client.js";
import { CassandraLogStore, ensureLogSchema } from "../../src/logs/cassandra-log-store.js";
import { createLogger } from "../../src/logs/logger.js";
import { LogStoreThread } from "../../src/logs/log-store-thread.js";
import { readAllPages } from "../support/log-store-contract.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { makeTestCertificates, opensslAvailable } from "../support/test-certificates.js";
import type { TestCertificates } from "../support/test-certificates.js";

const keyspace = "iact_test_tls";
const withOpenssl = opensslAvailable();
if (!withOpenssl && process.env.CI === "true") throw new Error("the TLS tests need the openssl command in CI");

describe.skipIf(!withOpenssl)("Cassandra behind TLS", () => {
  let node: TestCertificates;
  let stranger: TestCertificates;
  let proxy: TcpProxy;
  let port: number;
  const clients: Client[] = [];

  /** The settings the service reads for this node, with CASSANDRA_TLS on. */
  function tlsSettings(extra: Record<string, string> = {}): CassandraSettings {
    return cassandraSettingsFromEnv({ ...process.env, CASSANDRA_CONTACT_POINTS: `127.0.0.1:${port}`, CASSANDRA_KEYSPACE: keyspace, CASSANDRA_TLS: "true", CASSANDRA_TLS_CA_FILE: node.caFile, ...extra });
  }

  function clientFor(settings: CassandraSettings): Client {
    const client = createCassandraClient(settings);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    node = makeTestCertificates("iact test CA");
    stranger = makeTestCertificates("some other CA");
    proxy = new TcpProxy("127.0.0.1", Number(process.env.CASSANDRA_PORT ?? 9042), { key: node.key, cert: node.cert });
    port = await proxy.start();
  });

  afterAll(async () => {
    if (clients[0]) await clients[0].execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
    await Promise.all(clients.map((client) => client.shutdown()));
    await proxy?.cut();
    for (const certificates of [node, stranger]) if (certificates) rmSync(certificates.folder, { recursive: true, force: true });
  });

  it("creates the table, writes from the log thread and reads back over TLS, trusting the configured CA", async () => {
    const settings = tlsSettings();
    expect(settings.tls).toEqual({ ca: node.ca, rejectUnauthorized: true });
    const client = clientFor(settings);
    await ensureLogSchema(client, keyspace);
    const thread = new LogStoreThread({ cassandra: settings, maxBufferedLines: 100, stopTimeoutMs: 5_000 });
    const log = createLogger({ level: "info", secrets: [], destination: thread });
    log.info({ repository: "acme/api" }, "sent over TLS");
    await thread.stop();
    expect(thread.status()).toMatchObject({ ok: true, written: 1, dropped: 0 });
    const now = Date.now();
    const lines = await readAllPages(new CassandraLogStore(client, keyspace), { from: new Date(now - 60_000), to: new Date(now + 60_000), limit: 100 });
    expect(lines.map((line) => [line.message, line.repository])).toEqual([["sent over TLS", "acme/api"]]);
  });

  it("refuses a node whose certificate the configured CA did not sign", async () => {
    const client = clientFor(tlsSettings({ CASSANDRA_TLS_CA_FILE: stranger.caFile }));
    await expect(client.connect()).rejects.toThrow(/certificate/i);
  });

  it("accepts that node only when told not to check certificates", async () => {
    const client = clientFor(tlsSettings({ CASSANDRA_TLS_CA_FILE: stranger.caFile, CASSANDRA_TLS_REJECT_UNAUTHORIZED: "false" }));
    await client.connect();
    const answer = await client.execute("SELECT release_version FROM system.local");
    expect(answer.rows[0]?.get("release_version")).toMatch(/^\d+\.\d+/);
  });
});
