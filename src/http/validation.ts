// Request validation: a zod schema in, typed data out, or an HttpError 400
// that names every bad field at once so a client fixes its request in one go:
//
//   { "error": "Invalid request body: 2 fields are wrong",
//     "details": [{ "field": "duration_seconds", "message": "..." }, ...] }
//
// `field` is the dotted path of the value ("metadata.owner", "records.3.cycle_id");
// an unknown key is reported under its own name.
import type { z } from "zod";
import { HttpError } from "./http-error.js";

export interface FieldError {
  field: string;
  message: string;
}

/** One entry per bad field (zod may report several issues for one field; all are kept, in order). */
export function fieldErrors(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors.push({ field: fieldName([...path, key]), message: "is not a known field" });
      continue;
    }
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    errors.push({ field: fieldName(path), message: missing ? "is required" : issue.message });
  }
  return errors;
}

export function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(body)" : path.map(String).join(".");
}

/** Parses `value` with `schema`, or throws a 400 naming each bad field. `what`: "request body", "query". */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = fieldErrors(result.error);
  const count = new Set(details.map((detail) => detail.field)).size;
  throw new HttpError(400, `Invalid ${what}: ${count === 1 ? "1 field is" : `${count} fields are`} wrong`, details);
}

/** The query string as a plain object (last value wins), for validating with a zod schema. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(query.entries());
}
