// The Cassandra log store against the shared log store contract, on the real
// Cassandra that scripts/services/cassandra.sh starts (CASSANDRA_* select
// another), in a keyspace of its own; and its table's shape: created twice
// without error, a 90-day default TTL, partitioned by (day, bucket).
import type { Client } from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cassandraSettingsFromEnv, createCassandraClient, ensureKeyspace } from "../../src/logs/cassandra-client.js";
import { CassandraLogStore, ensureLogTable } from "../../src/logs/cassandra-log-store.js";
import { logStoreContract } from "../support/log-store-contract.js";

const keyspace = "iact_test_log_store";
let client: Client;

beforeAll(async () => {
  client = createCassandraClient(cassandraSettingsFromEnv(process.env));
  await client.connect();
  await ensureKeyspace(client, keyspace);
  await ensureLogTable(client, keyspace);
}, 60_000);

afterAll(async () => {
  await client?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client?.shutdown();
});

logStoreContract("Cassandra", async () => {
  await client.execute(`TRUNCATE ${keyspace}.log_lines`);
  return new CassandraLogStore(client, keyspace);
});

describe("Cassandra log table", () => {
  it("is created idempotently with a 90-day default TTL, partitioned by day and bucket, newest first", async () => {
    await ensureLogTable(client, keyspace);
    const table = await client.execute("SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", [keyspace, "log_lines"], { prepare: true });
    expect(table.rows[0]?.get("default_time_to_live")).toBe(90 * 86_400);
    const columns = await client.execute("SELECT column_name, kind, clustering_order FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", [keyspace, "log_lines"], { prepare: true });
    const keyColumns = columns.rows.filter((row) => row.get("kind") !== "regular").map((row) => [row.get("column_name"), row.get("kind"), row.get("clustering_order")]);
    expect(keyColumns.sort()).toEqual([
      ["bucket", "partition_key", "none"],
      ["day", "partition_key", "none"],
      ["id", "clustering", "desc"],
      ["logged_at", "clustering", "desc"],
    ]);
  });
});
