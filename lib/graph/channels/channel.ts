// How one state key combines the values written to it in a step. Two kinds, as in LangGraph.js:
// LastValue (at most one write per step) and BinaryOperatorAggregate (a reducer folds every write).

/** A key whose value is replaced by the single write of a step (`Annotation<T>()`). */
/** Checks (and may coerce) one value written to a key; throws a clear error when it is invalid. */
export type WriteValidator = (value: unknown) => unknown;

export class LastValue<Value = unknown> {
  readonly lc_graph_name = "LastValue";
  /** Phantom fields carrying the types (never set at runtime). */
  declare readonly ValueType: Value;
  declare readonly UpdateType: Value;
  constructor(
    /** The key's value before any write (schema defaults of StateSchema / zod states; `Annotation()` has none). */
    readonly initialValueFactory?: () => Value,
    /** Validates every write (StateSchema / zod states only). */
    readonly validate?: WriteValidator,
  ) {}
}

/** A key whose writes are folded into its value by `reducer` (`Annotation({ reducer, default })`). */
export class BinaryOperatorAggregate<Value = unknown, Update = Value> {
  readonly lc_graph_name = "BinaryOperatorAggregate";
  declare readonly ValueType: Value;
  declare readonly UpdateType: Update;
  constructor(
    readonly reducer: (current: Value, update: Update) => Value,
    readonly initialValueFactory?: () => Value,
    /** Validates every write (StateSchema / zod states only). */
    readonly validate?: WriteValidator,
  ) {}
}

export type Channel<Value = unknown, Update = Value> = LastValue<Value> | BinaryOperatorAggregate<Value, Update>;

export function isChannel(value: unknown): value is Channel {
  return value instanceof LastValue || value instanceof BinaryOperatorAggregate;
}
