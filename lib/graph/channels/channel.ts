// How one state key combines the values written to it in a step. Two kinds, as in LangGraph.js:
// LastValue (at most one write per step) and BinaryOperatorAggregate (a reducer folds every write).
// The engine reads their reducer / initial value; the standalone API (update, get, ...) is BaseChannel's.
import { InvalidUpdateError } from "../errors";
import { isOverwrite, overwrittenValue, type Overwrite } from "../overwrite";
import { BaseChannel, MISSING, emptyChannel, type Slot } from "./base";

/** Checks (and may coerce) one value written to a key; throws a clear error when it is invalid. */
export type WriteValidator = (value: unknown) => unknown;

const UNSET: unique symbol = Symbol("rill.channel.unset");

/** What LastValue and BinaryOperatorAggregate share: one slot holding the value, filled lazily from the
 * key's initial value (or empty); `get` throws EmptyChannelError while it is empty. */
abstract class SlotChannel<Value, Update> extends BaseChannel<Value, Update, Value> {
  protected slot: Slot<Value> | typeof UNSET = UNSET;
  abstract readonly initialValueFactory?: () => Value;

  protected current(): Slot<Value> {
    if (this.slot === UNSET) this.slot = this.initialValueFactory ? this.initialValueFactory() : MISSING;
    return this.slot;
  }

  get(): Value {
    const value = this.current();
    if (value === MISSING) throw emptyChannel();
    return value;
  }

  checkpoint(): Value | undefined {
    const value = this.current();
    return value === MISSING ? undefined : value;
  }
}

/** A key whose value is replaced by the single write of a step (`Annotation<T>()`). */
export class LastValue<Value = unknown> extends SlotChannel<Value, Value> {
  readonly lc_graph_name: string = "LastValue";
  constructor(
    /** The key's value before any write (schema defaults of StateSchema / zod states; `Annotation()` has none). */
    readonly initialValueFactory?: () => Value,
    /** Validates every write (StateSchema / zod states only). */
    readonly validate?: WriteValidator,
  ) {
    super();
  }

  update(values: Value[]): boolean {
    if (values.length === 0) return false;
    if (values.length !== 1) {
      throw new InvalidUpdateError("LastValue can only receive one value per step.", { lc_error_code: "INVALID_CONCURRENT_GRAPH_UPDATE" });
    }
    this.slot = values[0];
    return true;
  }

  fromCheckpoint(checkpoint?: Value): this {
    const channel = new (this.constructor as new (f?: () => Value, v?: WriteValidator) => this)(this.initialValueFactory, this.validate);
    if (checkpoint !== undefined) channel.slot = checkpoint;
    return channel;
  }
}

/** A key whose writes are folded into its value by `reducer` (`Annotation({ reducer, default })`). */
export class BinaryOperatorAggregate<Value = unknown, Update = Value> extends SlotChannel<Value, Update> {
  readonly lc_graph_name = "BinaryOperatorAggregate";
  constructor(
    readonly reducer: (current: Value, update: Update) => Value,
    readonly initialValueFactory?: () => Value,
    /** Validates every write (StateSchema / zod states only). */
    readonly validate?: WriteValidator,
  ) {
    super();
  }

  /** LangGraph.js's name for the reducer. */
  get operator(): (current: Value, update: Update) => Value {
    return this.reducer;
  }

  update(values: Array<Update | Overwrite<Value>>): boolean {
    if (values.length === 0) return false;
    let value = this.current();
    let overwritten = false;
    for (const update of values) {
      if (typeof update === "object" && update !== null && isOverwrite(update)) {
        if (overwritten) throw new InvalidUpdateError("Can receive only one Overwrite value per step.");
        overwritten = true;
        value = overwrittenValue(update) as Value;
      } else if (overwritten) {
        continue;
      } else if (value === MISSING) {
        value = update as unknown as Value;
      } else {
        value = this.reducer(value, update as Update);
      }
    }
    this.slot = value;
    return true;
  }

  fromCheckpoint(checkpoint?: Value): this {
    const channel = new BinaryOperatorAggregate(this.reducer, this.initialValueFactory, this.validate) as this;
    if (checkpoint !== undefined) channel.slot = checkpoint;
    return channel;
  }
}

export type Channel<Value = unknown, Update = Value> = LastValue<Value> | BinaryOperatorAggregate<Value, Update>;

export function isChannel(value: unknown): value is Channel {
  return value instanceof LastValue || value instanceof BinaryOperatorAggregate;
}
