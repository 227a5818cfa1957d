// One-line JSON for list rows, cut to what a row can show (clipLine), cached per value: a row renders
// again whenever it scrolls back into view, and stringifying a large state each time would show.
import { clipLine } from "./clipLine";

const cache = new WeakMap<object, string>();

export function compactJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return clipLine(JSON.stringify(value) ?? "undefined");
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const text = clipLine(JSON.stringify(value));
  cache.set(value, text);
  return text;
}

