// `StateSchema`: a state declared with validation schemas (zod, valibot, anything implementing Standard
// Schema), LangGraph.js's newer alternative to `Annotation.Root`:
//   new StateSchema({ topic: z.string(), count: z.number().default(0),
//                     items: new ReducedValue(z.array(z.string()).default(() => []), { reducer: (a, b) => a.concat(b) }),
//                     messages: MessagesValue })
// A plain schema is a last-value key; `ReducedValue` a reducer key. A schema's default is the key's
// initial value, and every write to a key (the input and each node's update) is validated by its schema.
import { BinaryOperatorAggregate, LastValue, type Channel, type WriteValidator } from "./channels/channel";
import { messagesStateReducer, type Messages } from "./messagesState";
import type { BaseMessage } from "./messages";
import { OVERWRITE, isOverwrite, overwrittenValue } from "./overwrite";
import { stateSchemaInputJson, stateSchemaJson } from "./stateSchemaJson";
import { setOwnValue } from "./prototypeKeys";

/** The Standard Schema interface (https://standardschema.dev) that zod 3.24+/4, valibot and arktype implement. */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly "~standard": {
    validate(value: unknown): { value?: Output; issues?: unknown } | Promise<{ value?: Output; issues?: unknown }>;
    readonly types?: { input: Input; output: Output };
  };
}

export function isStandardSchema(value: unknown): value is StandardSchema {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as StandardSchema)["~standard"]?.validate === "function";
}

type OutputOf<S> = S extends StandardSchema<any, infer O> ? O : unknown;
type InputOf<S> = S extends StandardSchema<infer I, any> ? I : unknown;

const REDUCED_VALUE = Symbol.for("langgraph.state.reduced_value");
const STATE_SCHEMA = Symbol.for("langgraph.state.state_schema");

/** A key folded by `reducer`; `valueSchema` types (and defaults) the value, `inputSchema` (default: the same) each write. */
export class ReducedValue<Value = unknown, Input = Value> {
  readonly [REDUCED_VALUE] = true;
  readonly reducer: (current: Value, next: Input) => Value;
  readonly valueSchema: StandardSchema<unknown, Value>;
  readonly inputSchema: StandardSchema<unknown, Input | Value>;
  readonly jsonSchemaExtra?: Record<string, unknown>;
  declare ValueType: Value;
  declare InputType: Input;

  constructor(
    valueSchema: StandardSchema<any, Value>,
    init: { reducer: (current: Value, next: Input) => Value; inputSchema?: StandardSchema<any, Input>; jsonSchemaExtra?: Record<string, unknown> },
  ) {
    this.valueSchema = valueSchema;
    this.inputSchema = init.inputSchema ?? valueSchema;
    this.reducer = init.reducer;
    this.jsonSchemaExtra = init.jsonSchemaExtra;
  }

  static isInstance(value: unknown): value is ReducedValue {
    return typeof value === "object" && value !== null && (value as { [REDUCED_VALUE]?: unknown })[REDUCED_VALUE] === true;
  }
}

export type StateSchemaField = StandardSchema<any, any> | ReducedValue<any, any>;
export type StateSchemaFields = Record<string, StateSchemaField>;

export type InferStateSchemaValue<F extends StateSchemaFields> = {
  [K in keyof F]: F[K] extends ReducedValue<infer V, any> ? V : OutputOf<F[K]>;
};
export type InferStateSchemaUpdate<F extends StateSchemaFields> = {
  [K in keyof F]?: F[K] extends ReducedValue<infer V, infer I> ? I | V : InputOf<F[K]> | OutputOf<F[K]>;
};

export class StateSchema<F extends StateSchemaFields = StateSchemaFields> {
  readonly [STATE_SCHEMA] = true;
  declare State: InferStateSchemaValue<F>;
  declare Update: InferStateSchemaUpdate<F>;
  declare Node: (state: InferStateSchemaValue<F>, config?: unknown) => InferStateSchemaUpdate<F> | Promise<InferStateSchemaUpdate<F>>;

  constructor(readonly fields: F) {
    for (const [key, field] of Object.entries(fields)) {
      if (!ReducedValue.isInstance(field) && !isStandardSchema(field)) {
        throw new Error(`Invalid state field "${key}": must be a schema (zod, valibot, ... implementing Standard Schema) or a ReducedValue`);
      }
    }
  }

  /** The channel of each key (what StateGraph runs). */
  getChannels(): Record<string, Channel> {
    // Null-prototype: a field named "__proto__" stays a key (StateGraph refuses it by name).
    const channels: Record<string, Channel> = Object.create(null);
    for (const [key, field] of Object.entries(this.fields)) channels[key] = fieldChannel(key, field);
    return channels;
  }

  getChannelKeys(): string[] {
    return Object.keys(this.fields);
  }

  getAllKeys(): string[] {
    return Object.keys(this.fields);
  }

  /** Validates each known key of `data` with its schema (unknown keys pass through). */
  async validateInput<T>(data: T): Promise<T> {
    if (data === null || typeof data !== "object") return data;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      // Own fields only: a data key "constructor" or "__proto__" is not a field, and stays data in `out`.
      const field = Object.hasOwn(this.fields, key) ? this.fields[key] : undefined;
      setOwnValue(out, key, field === undefined ? value : fieldValidator(key, field)(value));
    }
    return out as T;
  }

  /** The state's JSON schema (stateSchemaJson.ts). */
  getJsonSchema(): Record<string, unknown> {
    return stateSchemaJson(this.fields);
  }

  /** An update's JSON schema: every key optional, reducer keys typed by their input (stateSchemaJson.ts). */
  getInputJsonSchema(): Record<string, unknown> {
    return stateSchemaInputJson(this.fields);
  }

  static isInstance(value: unknown): value is StateSchema {
    return typeof value === "object" && value !== null && (value as { [STATE_SCHEMA]?: unknown })[STATE_SCHEMA] === true;
  }
}

/** A schema's default, when validating `undefined` succeeds (zod's `.default()`), as a factory. */
export function schemaDefault(schema: unknown): (() => unknown) | undefined {
  if (!isStandardSchema(schema)) return undefined;
  try {
    const result = schema["~standard"].validate(undefined);
    if (result instanceof Promise || (result as { issues?: unknown }).issues) return undefined;
    if ((result as { value?: unknown }).value === undefined) return undefined;
    // Validated again per run, so a default like `() => []` gives each run its own value.
    return () => (schema["~standard"].validate(undefined) as { value?: unknown }).value;
  } catch {
    return undefined;
  }
}

/**
 * What an invalid write throws: StateSchema's "Validation failed for field ..." error by default; a zod
 * object state passes one that throws zod's own error, as LangGraph.js parses zod states with zod.
 */
export type InvalidWrite = (key: string, value: unknown, issues: unknown) => never;

function validationFailed(key: string, _value: unknown, issues: unknown): never {
  throw new Error(`Validation failed for field "${key}": ${JSON.stringify(issues)}`);
}

/** The channel of one schema field. */
export function fieldChannel(key: string, field: StateSchemaField, invalid: InvalidWrite = validationFailed): Channel {
  if (ReducedValue.isInstance(field)) {
    return new BinaryOperatorAggregate(field.reducer as (a: unknown, b: unknown) => unknown, schemaDefault(field.valueSchema), fieldValidator(key, field, invalid));
  }
  return new LastValue(schemaDefault(field), fieldValidator(key, field, invalid));
}

/** Validates one write to `key` synchronously (the engine runs synchronous nodes without promises). */
export function fieldValidator(key: string, field: StateSchemaField, invalid: InvalidWrite = validationFailed): WriteValidator {
  if (ReducedValue.isInstance(field)) {
    const check = schemaCheck(key, field.inputSchema, invalid);
    const checkValue = schemaCheck(key, field.valueSchema, invalid);
    return (value) => (typeof value === "object" && value !== null && isOverwrite(value) ? { [OVERWRITE]: checkValue(overwrittenValue(value)) } : check(value));
  }
  return schemaCheck(key, field, invalid);
}

function schemaCheck(key: string, schema: StandardSchema, invalid: InvalidWrite): WriteValidator {
  return (value) => {
    const result = schema["~standard"].validate(value);
    if (result instanceof Promise) {
      result.then(undefined, () => {});
      throw new Error(`State field "${key}" has an asynchronous schema (async refinements); Rill validates state writes synchronously`);
    }
    if (result.issues) invalid(key, value, result.issues);
    return result.value;
  };
}

/** Accepts anything (the reducer does the work); defaults to an empty list. */
const messagesValueSchema: StandardSchema<unknown, BaseMessage[]> = {
  "~standard": { validate: (value) => ({ value: (value === undefined ? [] : value) as BaseMessage[] }) },
};
const messagesInputSchema: StandardSchema<Messages, Messages> = {
  "~standard": { validate: (value) => ({ value: value as Messages }) },
};

/** A `messages` key for StateSchema: the messages reducer, starting empty (LangGraph.js's MessagesValue). */
export const MessagesValue = new ReducedValue<BaseMessage[], Messages>(messagesValueSchema, {
  inputSchema: messagesInputSchema,
  reducer: messagesStateReducer,
  jsonSchemaExtra: { langgraph_type: "messages", description: "A list of chat messages" },
});
