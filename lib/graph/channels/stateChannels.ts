// The runtime form of a state schema: which keys exist and how a step's writes fold into the state.
// The state is a plain object replaced (shallow copy) only by steps that write, so a `values` chunk
// already handed to a consumer never changes afterwards, and a step costs O(keys written).
import { InvalidUpdateError } from "../errors";
import { isOverwrite, overwrittenValue, twoOverwritesError } from "../overwrite";
import type { StateValues } from "../types";
import { BinaryOperatorAggregate, LastValue, type Channel, type WriteValidator } from "./channel";
import { DeltaChannel } from "./delta";

export type Reducer = (current: unknown, update: unknown) => unknown;
export type Write = [key: string, value: unknown];

export class StateChannels {
  readonly keys: readonly string[];
  private readonly reducers: Record<string, Reducer | null>;
  private readonly defaults: Array<[string, () => unknown]> = [];
  /** Per-key write validators of schema-defined states (StateSchema, zod); null for Annotation states. */
  readonly validators: Record<string, WriteValidator> | null = null;
  /** Zod object states: keys whose zod default a run's input gets when it lacks them; null when none. */
  readonly inputDefaults: Array<[string, () => unknown]> | null = null;

  constructor(spec: Record<string, Channel>) {
    this.keys = Object.keys(spec);
    this.reducers = Object.create(null) as Record<string, Reducer | null>;
    for (const key of this.keys) {
      const channel = spec[key];
      if (channel instanceof DeltaChannel) {
        this.reducers[key] = channel.foldOne as Reducer;
        this.defaults.push([key, channel.initialValueFactory]);
        continue;
      }
      if (channel instanceof BinaryOperatorAggregate) {
        this.reducers[key] = channel.reducer as Reducer;
      } else {
        this.reducers[key] = null;
      }
      if (channel.initialValueFactory) this.defaults.push([key, channel.initialValueFactory]);
      if (channel.validate) (this.validators ??= Object.create(null) as Record<string, WriteValidator>)[key] = channel.validate;
      if (channel instanceof LastValue && channel.inputDefault) (this.inputDefaults ??= []).push([key, channel.inputDefault]);
    }
  }

  /** Adds to an input's `writes` the zod defaults of the keys it lacks (call when `inputDefaults` is not null). */
  addInputDefaults(input: StateValues, writes: Write[], inputKeys: readonly string[] | null): void {
    for (const [key, value] of this.inputDefaults!) {
      if (input[key] === undefined && (inputKeys === null || inputKeys.includes(key))) writes.push([key, value()]);
    }
  }

  /** Validates `writes` in place (schema-defined states only: call when `validators` is not null). */
  validate(writes: Write[]): void {
    const validators = this.validators!;
    for (let i = 0; i < writes.length; i++) {
      const validate = validators[writes[i][0]];
      if (validate !== undefined) writes[i] = [writes[i][0], validate(writes[i][1])];
    }
  }

  has(key: string): boolean {
    return key in this.reducers;
  }

  /** The state before any write: reducer keys with a `default`. */
  initialState(): StateValues {
    if (this.defaults.length === 0) return {};
    const state: StateValues = {};
    for (const [key, factory] of this.defaults) {
      const value = factory();
      if (value !== undefined) state[key] = value;
    }
    return this.ordered(state);
  }

  /** `value` restricted to this schema's keys (a node's or a subgraph's view of a bigger state). */
  pick(value: StateValues): StateValues {
    const out: StateValues = {};
    for (const key of this.keys) if (key in value && value[key] !== undefined) out[key] = value[key];
    return out;
  }

  /**
   * Folds the writes of one step (already in the fixed order: node name, then Send index) into
   * `state`. Returns `state` itself when nothing was written. Two writes to a LastValue key raise
   * InvalidUpdateError with LangGraph.js's message.
   */
  apply(state: StateValues, writeLists: ReadonlyArray<readonly Write[]>): StateValues {
    let next: StateValues | null = null;
    let added = false;
    let lastValueWrites: Map<string, unknown[]> | null = null;
    let single: string | null = null;
    // Reducer keys replaced by an Overwrite in this step: later plain writes to them are dropped (LangGraph.js).
    let overwritten: Set<string> | null = null;
    for (const writes of writeLists) {
      for (const [key, value] of writes) {
        const reducer = this.reducers[key];
        if (reducer === undefined) continue;
        if (next === null) next = { ...state };
        if (!added && !(key in next)) added = true;
        if (reducer === null) {
          // LastValue: detect a second write to the same key in this step.
          if (single === null && lastValueWrites === null) single = key;
          else {
            lastValueWrites ??= new Map(single === null ? [] : [[single, [next[single]]]]);
            single = null;
            const seen = lastValueWrites.get(key);
            if (seen) seen.push(value);
            else lastValueWrites.set(key, [value]);
          }
          next[key] = value;
        } else {
          const current = next[key];
          if (typeof value === "object" && value !== null && isOverwrite(value)) {
            if (current === undefined) next[key] = overwrittenValue(value);
            else {
              if (overwritten?.has(key)) throw twoOverwritesError(key, writeLists);
              (overwritten ??= new Set()).add(key);
              next[key] = overwrittenValue(value);
            }
          } else if (current === undefined) next[key] = value;
          else if (overwritten === null || !overwritten.has(key)) next[key] = reducer(current, value);
        }
      }
    }
    if (lastValueWrites) {
      for (const [key, values] of lastValueWrites) {
        if (values.length > 1) {
          throw new InvalidUpdateError(
            `Invalid update for channel "${key}" with values ${JSON.stringify(values)}: LastValue can only receive one value per step.`,
            { lc_error_code: "INVALID_CONCURRENT_GRAPH_UPDATE" },
          );
        }
      }
    }
    if (next === null) return state;
    // A key written for the first time lands last; keep the declaration order LangGraph.js shows.
    return added ? this.ordered(next) : next;
  }

  private ordered(values: StateValues): StateValues {
    const out: StateValues = {};
    for (const key of this.keys) if (key in values) out[key] = values[key];
    return out;
  }
}
