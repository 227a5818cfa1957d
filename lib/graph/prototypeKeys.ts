// Names Object.prototype has (`__proto__`, `constructor`, `toString`, `hasOwnProperty`, ...). LangGraph.js
// keeps a graph's channels in a plain object and fails on such a state key ("this.channels[key].equals is
// not a function"); Rill refuses it up front with an error naming the key and the schema, so a state's
// values can stay plain objects (`state[key]` / `key in state` are right for every key a graph can have).

/** True for a name an ordinary object already answers (`"toString" in {}`), `__proto__` included. */
export function isObjectPrototypeName(key: string): boolean {
  return key in Object.prototype;
}

/**
 * Throws for the first key of `keys` Object.prototype has; `where` names the graph part ("StateGraph: the
 * state schema", "Pregel: `channels`").
 */
export function refuseObjectPrototypeKeys(keys: Iterable<string>, where: string): void {
  for (const key of keys) {
    if (isObjectPrototypeName(key)) {
      throw new Error(
        `${where} has a key named "${key}", a name of Object.prototype; a state key, channel or node cannot be "__proto__", "constructor", "toString", "hasOwnProperty" or another Object.prototype name (LangGraph.js fails on it too): rename it.`,
      );
    }
  }
}

/**
 * `target[key] = value` as an own data property for every key: `"__proto__"` (an own key of JSON.parse's
 * output) stays data instead of replacing `target`'s prototype. The common key costs one comparison.
 */
export function setOwnValue(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
