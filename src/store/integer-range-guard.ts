// The MariaDB driver (mariadb 3.x, binary protocol) writes a BigInt argument
// below -2^63 with Buffer.writeBigInt64LE, which throws half way through the
// statement's packet: the call fails, but the connection is never given back
// to the pool. Ten such arguments and the pool is empty: every later query
// waits for a connection and the whole app answers 503 until a restart. (A
// value of 2^63 or more is sent as text and refused by the server, cleanly.)
// When the connection is idle the same throw escapes as an uncaught
// exception instead, and ends the process.
// This wrapper refuses such arguments before the driver sees them, with an
// error that names the value, so no caller can take a connection down.
import type { PrismaMariaDb } from "@prisma/adapter-mariadb";

const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** Thrown for an argument no MySQL integer column can hold; it can never succeed on retry. */
export class IntegerOutOfRangeError extends RangeError {
  /** Part of every message: how the error is still recognised once Prisma has wrapped it. */
  static readonly MARKER = "is outside the range of a MySQL BIGINT";

  constructor(readonly value: bigint) {
    super(`${value} ${IntegerOutOfRangeError.MARKER} (-2^63 to 2^63-1); the statement was not sent`);
    this.name = "IntegerOutOfRangeError";
  }
}

type AdapterFactory = PrismaMariaDb;
type Adapter = Awaited<ReturnType<AdapterFactory["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Adapter["queryRaw"]>[0];

/** The factory, with every query of every connection and transaction it makes checked first. */
export function guardIntegerRange(factory: AdapterFactory): AdapterFactory {
  return intercept(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      return guardQueries(adapter, {
        startTransaction: async (...args: Parameters<Adapter["startTransaction"]>) => guardQueries(await adapter.startTransaction(...args), {}),
      });
    },
  });
}

function guardQueries<T extends Adapter | Transaction>(target: T, extra: Record<string, unknown>): T {
  return intercept(target, {
    ...extra,
    queryRaw: (query: Query) => {
      refuseOutOfRange(query);
      return target.queryRaw(query);
    },
    executeRaw: (query: Query) => {
      refuseOutOfRange(query);
      return target.executeRaw(query);
    },
  });
}

function refuseOutOfRange(query: Query): void {
  query.args.forEach((arg, index) => {
    // Prisma passes BigInt values as decimal text typed "bigint"; the adapter turns them back into BigInt.
    const value = typeof arg === "bigint" ? arg : typeof arg === "string" && query.argTypes[index]?.scalarType === "bigint" ? toBigInt(arg) : undefined;
    if (value !== undefined && (value < BIGINT_MIN || value > BIGINT_MAX)) throw new IntegerOutOfRangeError(value);
  });
}

function toBigInt(text: string): bigint | undefined {
  try {
    return BigInt(text);
  } catch {
    return undefined;
  }
}

/**
 * A view of `target` with some methods replaced. Everything else is read
 * from the target itself and bound to it: the adapter classes keep private
 * fields, which a method called on a proxy could not reach.
 */
function intercept<T extends object>(target: T, replaced: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === "string" && property in replaced) return replaced[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
