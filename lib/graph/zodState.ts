// zod states with reducers and defaults, LangGraph.js's zod API:
//   z.object({ items: withLangGraph(z.array(z.string()), { reducer: { fn: (a, b) => a.concat(b), schema: z.string() }, default: () => [] }) })
//   z.object({ items: z.array(z.string()).register(registry, { reducer: { fn: ... } }) })       (zod 4)
//   new StateGraph(MessagesZodState)                                                            (a messages key)
// The metadata lives in one map keyed by schema object; StateGraph reads it when it turns a zod object
// into channels (fieldChannel in stateSchema.ts does the rest: defaults and validation).
import { z } from "zod";
import * as zodCore from "zod/v4/core";
import { BinaryOperatorAggregate, LastValue, type Channel } from "./channels/channel";
import type { BaseMessage } from "./messages";
import { messagesStateReducer, type Messages } from "./messagesState";
import { fieldValidator, isStandardSchema, schemaDefault, type InvalidWrite, type StandardSchema } from "./stateSchema";

export interface SchemaMeta<Value = any, Update = Value> {
  jsonSchemaExtra?: { langgraph_nodes?: string[]; langgraph_type?: "prompt" | "messages"; [key: string]: unknown };
  reducer?: { schema?: StandardSchema<any, Update> | unknown; fn: (current: Value, update: Update) => Value };
  default?: () => Value;
}

const metaBySchema = new Map<object, SchemaMeta>();

/** Attaches a reducer, default or JSON-schema extras to a zod field schema (returns the schema itself). */
export function withLangGraph<S extends object, Value = any, Update = Value>(schema: S, meta: SchemaMeta<Value, Update>): S {
  if (meta.reducer && !meta.default) {
    const fallback = schemaDefault(schema);
    if (fallback) meta.default = fallback as () => Value;
  }
  if (meta.reducer) Object.assign(schema, { lg_reducer_schema: meta.reducer.schema ?? schema });
  metaBySchema.set(schema, meta as SchemaMeta);
  return schema;
}

/** zod 4's registry form: `schema.register(registry, meta)` records the same metadata as withLangGraph. */
export class LanggraphZodMetaRegistry extends zodCore.$ZodRegistry<SchemaMeta & Record<string, unknown>> {
  constructor() {
    super();
    this._map = metaBySchema as unknown as typeof this._map;
  }

  override add<S extends zodCore.$ZodType>(schema: S, ...meta: Array<SchemaMeta & Record<string, unknown>>): this {
    // The schema's own zod default wins over the registry's (LangGraph.js parses with zod first).
    const first = meta[0];
    const zodDefault = first ? schemaDefault(schema) : undefined;
    if (first && zodDefault) first.default = zodDefault;
    return super.add(schema, ...(meta as [never]));
  }
}

export const registry = new LanggraphZodMetaRegistry();

/** The metadata withLangGraph or the registry attached to `schema`. */
export function zodFieldMeta(schema: unknown): SchemaMeta | undefined {
  return typeof schema === "object" && schema !== null ? metaBySchema.get(schema) : undefined;
}

/** The channel of one field of a zod object state. */
export function zodFieldChannel(key: string, field: unknown, invalid: InvalidWrite): Channel {
  const meta = zodFieldMeta(field);
  if (meta?.reducer) {
    // Writes are checked against the reducer's own schema when it has one (the reducer folds anything else).
    const updateSchema = meta.reducer.schema;
    const check = isStandardSchema(updateSchema) ? fieldValidator(key, updateSchema, invalid) : undefined;
    const validate = check && ((value: unknown) => (value === undefined ? value : check(value)));
    return new BinaryOperatorAggregate(meta.reducer.fn, meta.default ?? schemaDefault(field), validate);
  }
  if (!isStandardSchema(field)) return new LastValue();
  // A zod state validates updates against its partial schema: a key written as undefined passes.
  const check = fieldValidator(key, field, invalid);
  const zodDefault = schemaDefault(field);
  const channel = new LastValue(meta?.default ?? zodDefault, (value) => (value === undefined ? value : check(value)));
  channel.inputDefault = zodDefault;
  return channel;
}

/** A `messages` key for zod states: the messages reducer, starting empty. */
export const MessagesZodMeta: SchemaMeta<BaseMessage[], Messages> = {
  reducer: { fn: messagesStateReducer },
  jsonSchemaExtra: { langgraph_type: "messages" },
  default: () => [],
};

/** The zod twin of MessagesAnnotation: `{ messages }` folded by the messages reducer. */
export const MessagesZodState = z.object({
  messages: withLangGraph(z.custom<BaseMessage[]>(), MessagesZodMeta),
});
