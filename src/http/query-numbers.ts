// A whole number read from a query string (days, limit), with the same
// messages on every route.
import { z } from "zod";

/** A whole number of `unit` from 1 to `max`, `fallback` when absent. */
export function wholeNumberParameter(unit: string, max: number, fallback: number) {
  return z.coerce
    .number({ error: `must be a whole number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(1, "must be at least 1")
    .max(max, `must be at most ${max}`)
    .default(fallback);
}
