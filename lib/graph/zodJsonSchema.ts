// LangGraph.js's `@langchain/langgraph/zod/schema` helpers: the JSON schemas (zod 4's, draft 2020-12) of a compiled graph
// whose state is a zod 4 object, as LangGraph Studio and servers read them: state, update (each key's
// reducer input, all optional), input and output. A field's `jsonSchemaExtra` (withLangGraph / registry
// metadata, e.g. `langgraph_type: "messages"`) is merged into its property. Other states give undefined.
// A zod 3 object, or a zod 4 one holding zod 3 fields (`MessagesZodState.extend({ n: z3.number() })`), gets
// draft-07 schemas as LangGraph.js gives them (zod 3 fields converted by @langchain/core's toJsonSchema,
// loaded then; `{}` without it).
import { createRequire } from "node:module";
import { z } from "zod";
import { zodFieldMeta } from "./zodState";

type JsonSchema = Record<string, unknown>;
interface GraphWithSchemas {
  plan?: { schemas?: { state: unknown; input?: unknown; output?: unknown } };
}

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

interface Zod3Like {
  _def: { shape?: () => Record<string, unknown> };
}

function isZod4(schema: unknown): boolean {
  return (schema as { _zod?: unknown } | null)?._zod !== undefined;
}

function isZod3(schema: unknown): schema is Zod3Like {
  return !isZod4(schema) && typeof (schema as { _def?: unknown } | null)?._def === "object";
}

function zodShape(schema: unknown): Record<string, unknown> | undefined {
  if (isZod3(schema)) return typeof schema._def.shape === "function" ? schema._def.shape() : undefined;
  const def = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | null)?._zod?.def;
  return def?.shape;
}

let coreToJsonSchema: ((schema: unknown) => JsonSchema) | null | undefined;

/** A zod 3 schema as @langchain/core converts it (LangGraph.js's way), `{}` without @langchain/core. */
function zod3Schema(field: unknown): JsonSchema {
  if (coreToJsonSchema === undefined) {
    try {
      coreToJsonSchema = (createRequire(import.meta.url)("@langchain/core/utils/json_schema") as { toJsonSchema(schema: unknown): JsonSchema }).toJsonSchema;
    } catch {
      coreToJsonSchema = null;
    }
  }
  if (coreToJsonSchema === null) return {};
  const { $schema, ...json } = coreToJsonSchema(field);
  void $schema;
  return json;
}

function fieldSchema(field: unknown): JsonSchema {
  if (isZod3(field)) {
    // As a property, an optional field is its inner type (being optional is the object's `required`).
    const def = field._def as { typeName?: string; innerType?: unknown };
    return zod3Schema(def.typeName === "ZodOptional" ? def.innerType : field);
  }
  if (!isZod4(field)) return {};
  const { $schema, ...json } = z.toJSONSchema(field as z.ZodType, { unrepresentable: "any" }) as JsonSchema;
  void $schema;
  return json;
}

/** Whether the field accepts undefined (zod 3's isOptional(), which LangGraph.js's draft-07 schemas follow). */
function isOptionalField(field: unknown): boolean {
  const parse = (field as { safeParse?: (value: unknown) => { success: boolean } }).safeParse;
  return typeof parse === "function" && parse.call(field, undefined).success;
}

/** The object's own parts of its schema: $schema, required, additionalProperties. */
function wholeSchema(schema: unknown, shape: Record<string, unknown>): JsonSchema {
  const fields = Object.values(shape);
  if (!isZod3(schema) && !fields.some(isZod3)) return z.toJSONSchema(schema as z.ZodType, { unrepresentable: "any" }) as JsonSchema;
  const required = Object.keys(shape).filter((key) => !isOptionalField(shape[key]));
  return { $schema: DRAFT_07, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function objectSchema(schema: unknown, update: boolean): JsonSchema | undefined {
  const shape = zodShape(schema);
  if (shape === undefined) return undefined;
  // zod's own schema of the object gives $schema, required and additionalProperties; the properties are made
  // per field so that metadata extras and (for updates) reducer input schemas take their place.
  const whole = wholeSchema(schema, shape);
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

/** The JSON schema of the graph's state (zod object states), undefined otherwise. */
export function getStateTypeSchema(graph: unknown): JsonSchema | undefined {
  return objectSchema(schemasOf(graph)?.state, false);
}

/** The JSON schema of an update: every key optional, a reducer key typed by its reducer's input schema. */
export function getUpdateTypeSchema(graph: unknown): JsonSchema | undefined {
  return objectSchema(schemasOf(graph)?.state, true);
}

/** The JSON schema of the graph's input (its `input` schema, else the state's, as an update). */
export function getInputTypeSchema(graph: unknown): JsonSchema | undefined {
  const schemas = schemasOf(graph);
  return objectSchema(schemas?.input ?? schemas?.state, true);
}

/** The JSON schema of the graph's output (its `output` schema, else the state's). */
export function getOutputTypeSchema(graph: unknown): JsonSchema | undefined {
  const schemas = schemasOf(graph);
  return objectSchema(schemas?.output ?? schemas?.state, false);
}
