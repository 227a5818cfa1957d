// `Annotation` declares a graph's state keys, with LangGraph.js's call forms:
//   Annotation<string>()                                   a plain key (last write wins)
//   Annotation<string[]>({ reducer, default })             a key folded by a reducer
//   Annotation.Root({ topic: Annotation<string>(), ... })   the whole state
import { BinaryOperatorAggregate, LastValue, type Channel } from "./channels/channel";

export type StateDefinition = Record<string, Channel<any, any>>;

/** The state a node reads. */
export type StateType<SD extends StateDefinition> = { [K in keyof SD]: SD[K]["ValueType"] };
/** What a node may return: any subset of keys, each as its reducer's update type. */
export type UpdateType<SD extends StateDefinition> = { [K in keyof SD]?: SD[K]["UpdateType"] };

export interface ReducerOptions<Value, Update> {
  reducer: (current: Value, update: Update) => Value;
  default?: () => Value;
}

/** LangGraph.js's older spelling: `{ value: reducer, default }`. */
export interface ValueOptions<Value, Update> {
  value: (current: Value, update: Update) => Value;
  default?: () => Value;
}

export class AnnotationRoot<SD extends StateDefinition> {
  readonly lc_graph_name = "AnnotationRoot";
  declare State: StateType<SD>;
  declare Update: UpdateType<SD>;
  declare Node: (state: StateType<SD>, config?: unknown) => UpdateType<SD> | Promise<UpdateType<SD>>;
  constructor(readonly spec: SD) {}

  static isInstance(value: unknown): value is AnnotationRoot<StateDefinition> {
    return typeof value === "object" && value !== null && (value as { lc_graph_name?: unknown }).lc_graph_name === "AnnotationRoot";
  }
}

interface AnnotationFunction {
  <Value>(): LastValue<Value>;
  <Value, Update = Value>(options: ReducerOptions<Value, Update> | ValueOptions<Value, Update>): BinaryOperatorAggregate<Value, Update>;
  /** A `default` without a reducer is ignored, exactly as in LangGraph.js (the key stays a LastValue). */
  <Value>(options: { default?: () => Value }): LastValue<Value>;
  Root<SD extends StateDefinition>(spec: SD): AnnotationRoot<SD>;
}

function annotation(options?: { reducer?: unknown; value?: unknown; default?: () => unknown }): Channel {
  if (options && typeof options.reducer === "function") {
    return new BinaryOperatorAggregate(options.reducer as (a: unknown, b: unknown) => unknown, options.default);
  }
  if (options && typeof options.value === "function") {
    return new BinaryOperatorAggregate(options.value as (a: unknown, b: unknown) => unknown, options.default);
  }
  return new LastValue();
}

export const Annotation = Object.assign(annotation, {
  Root: <SD extends StateDefinition>(spec: SD) => new AnnotationRoot(spec),
}) as unknown as AnnotationFunction;
