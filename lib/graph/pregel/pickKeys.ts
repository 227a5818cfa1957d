// A node's input restricted to the state keys it reads (its input schema).
import type { StateValues } from "../types";

/** `state` restricted to `keys` (those present). */
export function pickKeys(state: StateValues, keys: readonly string[]): StateValues {
  const out: StateValues = {};
  for (let i = 0; i < keys.length; i++) if (keys[i] in state) out[keys[i]] = state[keys[i]];
  return out;
}
