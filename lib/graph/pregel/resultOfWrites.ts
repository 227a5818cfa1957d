// A task's writes as LangGraph.js shows a task's result ("tasks"/"debug" streams, a snapshot's tasks).
import type { Write } from "../channels/stateChannels";

/** The low-level Pregel's hidden channels (lowLevelPregel.ts): never part of a task's result. */
const HIDDEN_PREFIX = "__pregel_";

/** `{ key: value }`; several writes to one key as `{ key: { $writes: [...] } }`. */
export function resultOfWrites(writes: readonly Write[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  let several: Set<string> | null = null;
  for (let i = 0; i < writes.length; i++) {
    const [key, value] = writes[i];
    if (key.charCodeAt(0) === 95 && key.startsWith(HIDDEN_PREFIX)) continue;
    if (!(key in result)) result[key] = value;
    else if (several?.has(key)) (result[key] as { $writes: unknown[] }).$writes.push(value);
    else {
      result[key] = { $writes: [result[key], value] };
      (several ??= new Set()).add(key);
    }
  }
  return result;
}
