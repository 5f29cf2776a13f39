// Sha comparison shared by incident attribution and revert detection.

/** Minimum length of an abbreviated sha we accept (git's default abbreviation). */
export const MIN_SHA_LENGTH = 7;

/**
 * True when one sha abbreviates the other (case-insensitive prefix match).
 * A short sha must have at least 7 hex digits, so "abc" never matches.
 */
export function shaMatches(a: string, b: string): boolean {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  return shorter.length >= MIN_SHA_LENGTH && longer.startsWith(shorter);
}
