// One-line JSON for list rows, cut to what a row can show, cached per value: a virtual list re-renders
// its visible rows every frame while a run streams, and stringifying a large state each time would show.
const cache = new WeakMap<object, string>();
const MAX = 400;

export function compactJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return clip(JSON.stringify(value) ?? "undefined");
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const text = clip(JSON.stringify(value));
  cache.set(value, text);
  return text;
}

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}
