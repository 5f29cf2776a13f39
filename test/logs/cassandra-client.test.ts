// Runs against the real Cassandra that scripts/services/cassandra.sh starts
// (CASSANDRA_* variables select another one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "cassandra-driver";
import {
  CassandraSettingsError,
  cassandraSettingsFromEnv,
  createCassandraClient,
  ensureKeyspace,
} from "../../src/logs/cassandra-client.js";

describe("cassandraSettingsFromEnv", () => {
  it("defaults to the local development node", () => {
    expect(cassandraSettingsFromEnv({})).toEqual({
      contactPoints: ["127.0.0.1:9042"],
      localDataCenter: "datacenter1",
      keyspace: "iact",
      credentials: undefined,
      replicationFactor: 1,
    });
  });

  it.each([
    ["one host with a port", "10.0.0.1:9142", ["10.0.0.1:9142"]],
    ["hosts without a port get 9042", "cass-a, cass-b:9043 ,", ["cass-a:9042", "cass-b:9043"]],
    ["bracketed IPv6 with and without a port", "[::1]:9043,[fe80::1]", ["[::1]:9043", "[fe80::1]:9042"]],
    ["a bare IPv6 address", "::1", ["[::1]:9042"]],
  ])("parses contact points: %s", (_name, contactPoints, expected) => {
    expect(cassandraSettingsFromEnv({ CASSANDRA_CONTACT_POINTS: contactPoints }).contactPoints).toEqual(expected);
  });

  it("uses CASSANDRA_PORT for the default contact point and for hosts without a port", () => {
    expect(cassandraSettingsFromEnv({ CASSANDRA_PORT: "9142" }).contactPoints).toEqual(["127.0.0.1:9142"]);
    expect(
      cassandraSettingsFromEnv({ CASSANDRA_PORT: "9142", CASSANDRA_CONTACT_POINTS: "a,b:9042" }).contactPoints,
    ).toEqual(["a:9142", "b:9042"]);
  });

  it("reads the data centre, keyspace and credentials", () => {
    expect(
      cassandraSettingsFromEnv({
        CASSANDRA_LOCAL_DC: "eu-west",
        CASSANDRA_KEYSPACE: "iact_logs",
        CASSANDRA_USERNAME: "iact",
        CASSANDRA_PASSWORD: "s3cret",
      }),
    ).toMatchObject({ localDataCenter: "eu-west", keyspace: "iact_logs", credentials: { username: "iact", password: "s3cret" } });
  });

  it.each([
    ["a port out of range", { CASSANDRA_CONTACT_POINTS: "db:70000" }, /db:70000" has no valid port/],
    ["a non-numeric port", { CASSANDRA_CONTACT_POINTS: "db:cql" }, /db:cql" has no valid port/],
    ["only commas", { CASSANDRA_CONTACT_POINTS: " , " }, /lists no host/],
    ["a bad CASSANDRA_PORT", { CASSANDRA_PORT: "nine" }, /CASSANDRA_PORT: must be a port number/],
    ["a keyspace name that is not an identifier", { CASSANDRA_KEYSPACE: "iact-logs" }, /CASSANDRA_KEYSPACE: must be/],
    ["a user without a password", { CASSANDRA_USERNAME: "iact" }, /CASSANDRA_PASSWORD: is required/],
    ["a password without a user", { CASSANDRA_PASSWORD: "x" }, /CASSANDRA_USERNAME: is required/],
  ])("rejects %s with a message naming the variable", (_name, env, message) => {
    expect(() => cassandraSettingsFromEnv(env)).toThrow(CassandraSettingsError);
    expect(() => cassandraSettingsFromEnv(env)).toThrow(message);
  });

  it("reports every problem at once", () => {
    try {
      cassandraSettingsFromEnv({ CASSANDRA_CONTACT_POINTS: "db:0", CASSANDRA_KEYSPACE: "a b" });
      expect.unreachable("settings should have been rejected");
    } catch (error) {
      expect((error as CassandraSettingsError).problems).toHaveLength(2);
    }
  });
});

describe("Cassandra client against the development server", () => {
  const keyspace = "iact_test_roundtrip";
  let client: Client;

  beforeAll(async () => {
    client = createCassandraClient(cassandraSettingsFromEnv(process.env));
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `Cannot reach Cassandra (${String(error)}). Start it with scripts/services/cassandra.sh ` +
          "or point CASSANDRA_CONTACT_POINTS at a running node.",
        { cause: error },
      );
    }
    // A run that crashed before afterAll may have left rows behind.
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  });

  afterAll(async () => {
    if (!client) return;
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });

  it("creates the keyspace once, with SimpleStrategy and the given replication factor", async () => {
    await ensureKeyspace(client, keyspace);
    // A second call must be a no-op rather than an "already exists" error.
    await ensureKeyspace(client, keyspace);

    const result = await client.execute(
      "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
      [keyspace],
      { prepare: true },
    );
    expect(result.first()?.get("replication")).toEqual({
      class: "org.apache.cassandra.locator.SimpleStrategy",
      replication_factor: "1",
    });
  });

  it("writes a row of text, timestamp, int, map and list columns and reads it back unchanged", async () => {
    await ensureKeyspace(client, keyspace);
    await client.execute(
      `CREATE TABLE IF NOT EXISTS ${keyspace}.deliveries (
         repository text,
         received_at timestamp,
         attempt int,
         headers map<text, text>,
         labels list<text>,
         PRIMARY KEY (repository, received_at))`,
    );

    const written = {
      repository: "octo-org/iact-bot",
      // Cassandra timestamps keep milliseconds, so this survives exactly.
      received_at: new Date("2026-11-27T19:42:11.900Z"),
      attempt: 3,
      headers: { "x-github-event": "push", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" },
      labels: ["deploy", "production", "deploy"],
    };
    await client.execute(
      `INSERT INTO ${keyspace}.deliveries (repository, received_at, attempt, headers, labels) VALUES (?, ?, ?, ?, ?)`,
      [written.repository, written.received_at, written.attempt, written.headers, written.labels],
      { prepare: true },
    );

    const result = await client.execute(
      `SELECT repository, received_at, attempt, headers, labels FROM ${keyspace}.deliveries WHERE repository = ?`,
      [written.repository],
      { prepare: true },
    );
    expect(result.rowLength).toBe(1);
    const row = result.first();
    expect({
      repository: row.get("repository"),
      received_at: row.get("received_at"),
      attempt: row.get("attempt"),
      headers: row.get("headers"),
      labels: row.get("labels"),
    }).toEqual(written);
  });
});
