// `new Overwrite(value)`: written to a reducer key, it replaces the value instead of being folded by the
// reducer (LangGraph.js's Overwrite). Its JSON form `{ __overwrite__: value }` means the same.
import { InvalidUpdateError } from "./errors";

export const OVERWRITE = "__overwrite__";

export class Overwrite<Value = unknown> {
  readonly lg_name = "Overwrite";
  readonly [OVERWRITE]: Value;

  constructor(value: Value) {
    this[OVERWRITE] = value;
  }

  get value(): Value {
    return this[OVERWRITE];
  }

  toJSON(): Record<string, unknown> {
    return { [OVERWRITE]: this[OVERWRITE] };
  }

  static isInstance<Value>(value: unknown): value is Overwrite<Value> {
    return typeof value === "object" && value !== null && (OVERWRITE in value || (value as { lg_name?: unknown }).lg_name === "Overwrite");
  }
}

/** True when `value` is an Overwrite (the class, `{ __overwrite__: v }`, or `{ type: "__overwrite__", value: v }`). */
export function isOverwrite(value: object): boolean {
  return OVERWRITE in value || ((value as { type?: unknown }).type === OVERWRITE && "value" in value);
}

/** The value an Overwrite carries (call only when isOverwrite(value)). */
export function overwrittenValue(value: object): unknown {
  return OVERWRITE in value ? (value as Record<string, unknown>)[OVERWRITE] : (value as { value: unknown }).value;
}

/**
 * LangGraph.js's `_getOverwriteValue`: `[true, value]` when `update` is an Overwrite in any of its forms (the
 * class, its JSON `{ __overwrite__: v }`, or another runtime's `{ type: "__overwrite__", value: v }`), else
 * `[false, undefined]`.
 */
export function _getOverwriteValue(update: unknown): [true, unknown] | [false, undefined] {
  if (typeof update !== "object" || update === null || !isOverwrite(update)) return [false, undefined];
  return [true, overwrittenValue(update)];
}

/** LangGraph.js's error for a second Overwrite of `key` in one step, listing the step's writes to it. */
export function twoOverwritesError(key: string, writeLists: ReadonlyArray<ReadonlyArray<readonly [string, unknown]>>): InvalidUpdateError {
  const values = writeLists.flatMap((writes) => writes.filter(([k]) => k === key).map(([, v]) => v));
  return new InvalidUpdateError(`Invalid update for channel "${key}" with values ${JSON.stringify(values)}: Can receive only one Overwrite value per step.`);
}
