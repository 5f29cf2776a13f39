// How deeply objects and arrays are nested inside a JSON value, measured
// without recursion so that a value nested a million levels deep (JSON.parse
// builds it happily) is measured rather than overflowing the stack.
//
//   jsonNesting(1) === 0, jsonNesting({}) === 1, jsonNesting({ a: [1] }) === 2

export function jsonNesting(value: unknown): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; level: number }> = [{ value, level: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== "object" || next.value === null) continue;
    const level = next.level + 1;
    if (level > deepest) deepest = level;
    for (const child of Object.values(next.value)) pending.push({ value: child, level });
  }
  return deepest;
}

/** The dotted path of a key that would set a prototype if copied naively, or undefined. */
export function prototypeKeyPath(value: unknown): string | undefined {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== "object" || next.value === null) continue;
    for (const [key, child] of Object.entries(next.value)) {
      if (key === "__proto__") return [...next.path, key].join(".");
      pending.push({ value: child, path: [...next.path, key] });
    }
  }
  return undefined;
}
