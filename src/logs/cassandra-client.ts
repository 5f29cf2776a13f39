// The one place that turns CASSANDRA_* variables into a cassandra-driver
// Client. The log store and the tests both go through it, so a deployment and
// the development server (scripts/services/cassandra.sh) are reached the same
// way.
import type { ConnectionOptions } from "node:tls";
import { Client } from "cassandra-driver";
import type { ClientOptions } from "cassandra-driver";
import { cassandraTlsFromEnv } from "../config/cassandra-tls.js";
import type { CassandraTls } from "../config/cassandra-tls.js";

export interface CassandraSettings {
  /** "host:port" (IPv6 as "[addr]:port"), the form the driver accepts as-is. */
  contactPoints: string[];
  /** The driver only routes to nodes of this data centre; a wrong name means "no host available". */
  localDataCenter: string;
  keyspace: string;
  credentials?: { username: string; password: string };
  /** The keyspace's replication factor when `iact-bot migrate` creates it (SimpleStrategy). */
  replicationFactor: number;
  /** TLS to every node (CASSANDRA_TLS=true); plain TCP when absent. Plain data, so a worker thread receives it whole. */
  tls?: CassandraTls;
}

// SimpleSnitch, which the development server uses, names its one data centre
// this way.
const DEFAULT_LOCAL_DC = "datacenter1";
const DEFAULT_KEYSPACE = "iact";
const DEFAULT_CQL_PORT = 9042;

// Cassandra's own rule for keyspace names. Identifiers cannot be bound as
// query parameters, so a name must be checked before it is put into CQL.
const KEYSPACE_NAME = /^[A-Za-z0-9_]{1,48}$/;

export class CassandraSettingsError extends Error {
  override name = "CassandraSettingsError";
  constructor(readonly problems: string[]) {
    super(`Invalid Cassandra configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

/**
 * Reads CASSANDRA_CONTACT_POINTS (comma-separated host[:port]), CASSANDRA_LOCAL_DC,
 * CASSANDRA_KEYSPACE and the optional CASSANDRA_USERNAME / CASSANDRA_PASSWORD.
 * CASSANDRA_PORT, which the service script also honours, is the port of
 * contact points written without one. CASSANDRA_TLS and its files
 * (src/config/cassandra-tls.ts) turn on TLS. Every problem is reported in one error.
 */
export function cassandraSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CassandraSettings {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  let defaultPort = DEFAULT_CQL_PORT;
  const portText = text("CASSANDRA_PORT");
  if (portText !== undefined) {
    const port = parsePort(portText);
    if (port === undefined) problems.push(`CASSANDRA_PORT: must be a port number (1-65535), got "${portText}"`);
    else defaultPort = port;
  }

  const contactPoints: string[] = [];
  const pointsText = text("CASSANDRA_CONTACT_POINTS") ?? `127.0.0.1:${defaultPort}`;
  for (const entry of pointsText.split(",").map((part) => part.trim()).filter(Boolean)) {
    const point = parseContactPoint(entry, defaultPort);
    if (typeof point === "string") contactPoints.push(point);
    else problems.push(`CASSANDRA_CONTACT_POINTS: ${point.problem}`);
  }
  if (contactPoints.length === 0 && problems.length === 0) {
    problems.push("CASSANDRA_CONTACT_POINTS: lists no host; expected e.g. 10.0.0.1:9042,10.0.0.2");
  }

  const keyspace = text("CASSANDRA_KEYSPACE") ?? DEFAULT_KEYSPACE;
  if (!KEYSPACE_NAME.test(keyspace)) {
    problems.push(`CASSANDRA_KEYSPACE: must be 1-48 letters, digits or underscores, got "${keyspace}"`);
  }

  // A user name without a password (or the reverse) is a half-finished
  // configuration: failing here beats an authentication error at first query.
  const username = text("CASSANDRA_USERNAME");
  const password = env.CASSANDRA_PASSWORD;
  if (username !== undefined && !password) problems.push("CASSANDRA_PASSWORD: is required when CASSANDRA_USERNAME is set");
  if (username === undefined && password) problems.push("CASSANDRA_USERNAME: is required when CASSANDRA_PASSWORD is set");

  const factorText = text("CASSANDRA_REPLICATION_FACTOR") ?? "1";
  const replicationFactor = Number(factorText);
  if (!/^\d{1,2}$/.test(factorText) || replicationFactor < 1) problems.push(`CASSANDRA_REPLICATION_FACTOR: must be a whole number from 1 to 99, got "${factorText}"`);

  const { tls, problems: tlsProblems } = cassandraTlsFromEnv(env);
  problems.push(...tlsProblems);

  if (problems.length > 0) throw new CassandraSettingsError(problems);
  return {
    contactPoints,
    localDataCenter: text("CASSANDRA_LOCAL_DC") ?? DEFAULT_LOCAL_DC,
    keyspace,
    credentials: username !== undefined && password ? { username, password } : undefined,
    replicationFactor,
    ...(tls ? { tls } : {}),
  };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address -> "host:port". */
function parseContactPoint(entry: string, defaultPort: number): string | { problem: string } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = `[${bracketed[1]}]`;
    portText = bracketed[2];
  } else if (entry.split(":").length > 2) {
    // More than one colon without brackets can only be an IPv6 address, and
    // then a port cannot be told apart from the last group.
    host = `[${entry}]`;
  } else {
    const [name, port] = entry.split(":");
    host = name ?? "";
    portText = port;
  }
  if (!host || /\s/.test(host)) return { problem: `"${entry}" is not host[:port]` };
  if (portText === undefined) return `${host}:${defaultPort}`;
  const port = parsePort(portText);
  if (port === undefined) return { problem: `"${entry}" has no valid port (1-65535)` };
  return `${host}:${port}`;
}

/**
 * A client for the configured cluster, not yet connected (the driver connects
 * on connect() or the first query). No keyspace is bound, so the same client
 * can create the keyspace it will then use through qualified table names.
 */
export function createCassandraClient(settings: CassandraSettings): Client {
  const options: ClientOptions = {
    contactPoints: settings.contactPoints,
    localDataCenter: settings.localDataCenter,
    credentials: settings.credentials,
    socketOptions: {
      // The driver's 5 s default is tight for a node that has just opened its
      // port on a busy 2-core CI machine; a refused connection still fails at
      // once, only an unreachable address waits this long.
      connectTimeout: 10_000,
    },
    ...(settings.tls ? { sslOptions: cassandraSslOptions(settings.tls) } : {}),
  };
  return new Client(options);
}

/**
 * The driver's sslOptions (Node's tls.connect options). rejectUnauthorized
 * is always passed: the driver's own default is false, which would accept
 * any certificate. Node checks the certificate against the contact point's
 * host name or IP address.
 */
export function cassandraSslOptions(tls: CassandraTls): ConnectionOptions {
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.ca ? { ca: [tls.ca] } : {}),
    ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
  };
}

/**
 * Creates the keyspace if it does not exist. SimpleStrategy because iact-bot
 * runs against one data centre; a multi-DC deployment creates its keyspace
 * itself (IF NOT EXISTS then leaves it alone).
 */
export async function ensureKeyspace(client: Client, keyspace: string, replicationFactor = 1): Promise<void> {
  if (!KEYSPACE_NAME.test(keyspace)) {
    throw new Error(`Keyspace name "${keyspace}" is not 1-48 letters, digits or underscores`);
  }
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new Error(`Replication factor must be a positive integer, got ${replicationFactor}`);
  }
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} ` +
      `WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`,
  );
}
