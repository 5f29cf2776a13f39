// Order statistics used by every metric.
//
// Percentiles use LINEAR INTERPOLATION between closest ranks (Hyndman & Fan
// type 7: numpy's default, Excel PERCENTILE.INC): sort ascending, take the
// fractional rank h = (n - 1) * p and interpolate between x[floor(h)] and
// x[ceil(h)]. So the median of an even count is the mean of the two middle
// values (DevLake's "lower median" is not used), and p90 of 1..10 is 9.1.

const MS_PER_HOUR = 3_600_000;

/** p in [0, 1]; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p must be within [0, 1], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const lowerIndex = Math.floor(rank);
  const lower = sorted[lowerIndex] as number;
  const upper = sorted[Math.min(lowerIndex + 1, sorted.length - 1)] as number;
  const fraction = rank - lowerIndex;
  return fraction === 0 ? lower : lower + fraction * (upper - lower);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** Signed hours from `start` to `end`. */
export function hoursBetween(start: Date, end: Date): number {
  return (end.getTime() - start.getTime()) / MS_PER_HOUR;
}

/** part / whole, or null when whole is 0. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
