// LangGraph.js's `@langchain/langgraph/zod/schema` helpers: the JSON schemas (zod 4's, draft 2020-12; a zod 3
// object's from @langchain/core, draft-07, as on LangGraph.js) of a compiled graph whose state is a zod object, as LangGraph Studio and servers read them: state, update (each key's
// reducer input, all optional), input, output and config (the context schema). A field's `jsonSchemaExtra` (withLangGraph / registry
// metadata, e.g. `langgraph_type: "messages"`) is merged into its property. A StateSchema state gives its own
// schemas (stateSchemaJson.ts); other states give undefined.
import { z } from "zod";
import { coreJsonSchema } from "./langchain/optionalCore";
import { StateSchema } from "./stateSchema";
import { zodFieldMeta } from "./zodState";

type JsonSchema = Record<string, unknown>;
interface GraphWithSchemas {
  plan?: { schemas?: { state: unknown; input?: unknown; output?: unknown; context?: unknown } };
}

/** A zod 3 schema (`zod/v3`, or the zod 3 package): its JSON schema comes from @langchain/core, as on LangGraph.js. */
function isZod3(schema: unknown): boolean {
  return typeof schema === "object" && schema !== null && (schema as { _zod?: unknown })._zod === undefined && typeof (schema as { _def?: unknown })._def === "object";
}

function zodShape(schema: unknown): Record<string, unknown> | undefined {
  if (isZod3(schema)) return (schema as { _def: { typeName?: string } })._def.typeName === "ZodObject" ? (schema as { shape: Record<string, unknown> }).shape : undefined;
  const def = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | null)?._zod?.def;
  return def?.shape;
}

/** zod 4's JSON schema of a schema, or (zod 3) @langchain/core's; undefined for anything else or without core. */
function toJson(schema: unknown): JsonSchema | undefined {
  if ((schema as { _zod?: unknown } | null)?._zod !== undefined) return z.toJSONSchema(schema as z.ZodType, { unrepresentable: "any" }) as JsonSchema;
  if (isZod3(schema)) return coreJsonSchema()?.toJsonSchema(schema as never) as JsonSchema | undefined;
  return undefined;
}

function fieldSchema(field: unknown): JsonSchema {
  // As a property, a zod 3 optional field is its inner type (being optional is the object's `required`).
  const def = isZod3(field) ? (field as { _def: { typeName?: string; innerType?: unknown } })._def : undefined;
  const json = toJson(def?.typeName === "ZodOptional" ? def.innerType : field);
  if (json === undefined) return {};
  const { $schema, ...rest } = json;
  void $schema;
  return rest;
}

/** A zod 4 object holding zod 3 fields: LangGraph.js's (zod 3) draft-07 shape, each field required unless it accepts undefined. */
function mixedObjectSchema(shape: Record<string, unknown>): JsonSchema {
  const accepts = (field: unknown) => (field as { safeParse?: (v: unknown) => { success: boolean } }).safeParse?.(undefined).success === true;
  const required = Object.keys(shape).filter((key) => !accepts(shape[key]));
  return { $schema: "http://json-schema.org/draft-07/schema#", ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function objectSchema(schema: unknown, update: boolean): JsonSchema | undefined {
  const shape = zodShape(schema);
  if (shape === undefined) return undefined;
  // zod's own schema of the object gives $schema, required and additionalProperties; the properties are made
  // per field so that metadata extras and (for updates) reducer input schemas take their place.
  // A zod 4 object holding zod 3 fields (`MessagesZodState.extend({ n: z3.number() })`): zod 4 cannot convert it.
  const whole = isZod3(schema) || !Object.values(shape).some(isZod3) ? toJson(schema) : mixedObjectSchema(shape);
  if (whole === undefined) return undefined;
  const properties: Record<string, JsonSchema> = {};
  for (const [key, field] of Object.entries(shape)) {
    const meta = zodFieldMeta(field);
    const reducerSchema = update ? meta?.reducer?.schema : undefined;
    properties[key] = { ...fieldSchema(reducerSchema ?? field), ...(meta?.jsonSchemaExtra ?? {}) };
  }
  const out: JsonSchema = { $schema: whole.$schema, type: "object", properties };
  if (!update && whole.required !== undefined) out.required = whole.required;
  out.additionalProperties = whole.additionalProperties ?? false;
  return out;
}

function schemasOf(graph: unknown) {
  return (graph as GraphWithSchemas | null)?.plan?.schemas;
}

/** The JSON schema of the graph's state (zod 4 object and StateSchema states), undefined otherwise. */
export function getStateTypeSchema(graph: unknown): JsonSchema | undefined {
  return stateJson(schemasOf(graph)?.state);
}

/** The JSON schema of an update: every key optional, a reducer key typed by its reducer's input schema. */
export function getUpdateTypeSchema(graph: unknown): JsonSchema | undefined {
  return updateJson(schemasOf(graph)?.state);
}

/** The JSON schema of the graph's input (its `input` schema, else the state's, as an update). */
export function getInputTypeSchema(graph: unknown): JsonSchema | undefined {
  const schemas = schemasOf(graph);
  return updateJson(schemas?.input ?? schemas?.state);
}

/** The JSON schema of the graph's output (its `output` schema, else the state's). */
export function getOutputTypeSchema(graph: unknown): JsonSchema | undefined {
  const schemas = schemasOf(graph);
  return stateJson(schemas?.output ?? schemas?.state);
}

function stateJson(schema: unknown): JsonSchema | undefined {
  return StateSchema.isInstance(schema) ? schema.getJsonSchema() : objectSchema(schema, false);
}

function updateJson(schema: unknown): JsonSchema | undefined {
  return StateSchema.isInstance(schema) ? schema.getInputJsonSchema() : objectSchema(schema, true);
}

/** The JSON schema of the graph's context schema (`new StateGraph(state, contextSchema)`, a zod 4 object). */
export function getConfigTypeSchema(graph: unknown): JsonSchema | undefined {
  return objectSchema(schemasOf(graph)?.context, false);
}
