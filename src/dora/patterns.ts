// RegExp helpers. Callers may hand us /g or /y patterns from configuration;
// RegExp#test on those is stateful (lastIndex), which would make results
// depend on call order, so we always test with a stateless copy.

const stateless = new WeakMap<RegExp, RegExp>();

export function matchesPattern(pattern: RegExp, text: string): boolean {
  if (!pattern.global && !pattern.sticky) return pattern.test(text);
  let copy = stateless.get(pattern);
  if (copy === undefined) {
    copy = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    stateless.set(pattern, copy);
  }
  return copy.test(text);
}

export function matchesAny(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, text));
}
