// Which top-level keys of a state differ from the state before it: what the step scrubber highlights.
// Values arrive as fresh JSON objects every step, so identity says nothing; compare structurally, with
// early exits, and only for the one pair on screen.

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ea: Array<[string, unknown]> = Object.entries(a);
  const eb = new Map<string, unknown>(Object.entries(b));
  if (ea.length !== eb.size) return false;
  for (const [key, value] of ea) {
    if (!eb.has(key) || !jsonEqual(value, eb.get(key))) return false;
  }
  return true;
}

/** Keys added, removed or changed from `before` to `after` (every key when there is no `before`). */
export function changedKeys(before: Record<string, unknown> | undefined, after: Record<string, unknown>): string[] {
  if (!before) return Object.keys(after);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !jsonEqual(before[key], after[key]));
}
