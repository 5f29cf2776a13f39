// Database errors that no retry can fix: the statement itself is wrong for
// the schema (a value out of a column's range, too long, of the wrong type,
// refused by a check), as opposed to an outage (MySQL down, a pool timeout,
// a deadlock), which the next attempt may well get past. The worker rejects
// a delivery whose handling fails with one of these at once, instead of
// retrying it for hours.
import { IntegerOutOfRangeError } from "./integer-range-guard.js";

/** Prisma's codes for a value the schema cannot take (https://www.prisma.io/docs/orm/reference/error-reference). */
const PRISMA_DATA_CODES = new Set([
  "P2000", // value too long for the column
  "P2005", // stored value invalid for the field's type
  "P2006", // provided value not valid
  "P2007", // data validation error
  "P2011", // null constraint violation
  "P2012", // missing a required value
  "P2019", // input error
  "P2020", // value out of range for the type
  "P2023", // inconsistent column data
  "P2033", // a number that does not fit in 64 bits
]);

/** MySQL's error numbers for the same, as raw queries report them. */
const MYSQL_DATA_CODES = new Set([
  "1048", // column cannot be null
  "1264", // out of range value
  "1292", // incorrect date/time value
  "1366", // incorrect value for the column
  "1406", // data too long
  "3140", // invalid JSON text
  "4025", // check constraint failed (MariaDB's JSON_VALID)
]);

export function isUnfixableDataError(error: unknown): boolean {
  if (error instanceof IntegerOutOfRangeError) return true;
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  // The query never reached the database: its arguments do not fit the schema.
  if (name === "PrismaClientValidationError") return true;
  // Prisma re-wraps what the driver adapter throws; the guard's message survives.
  if (typeof message === "string" && message.includes(IntegerOutOfRangeError.MARKER)) return true;
  if (typeof code !== "string") return false;
  if (PRISMA_DATA_CODES.has(code)) return true;
  return code === "P2010" && MYSQL_DATA_CODES.has(rawQueryCode(error) ?? "");
}

/** The MySQL error number of a failed raw query (Prisma's P2010 carries it from the driver adapter). */
export function rawQueryCode(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return code === undefined ? undefined : String(code);
}
