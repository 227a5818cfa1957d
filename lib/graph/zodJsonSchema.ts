// LangGraph.js's `@langchain/langgraph/zod/schema` helpers: the JSON schemas (zod 4's, draft 2020-12) of a compiled graph
// whose state is a zod 4 object, as LangGraph Studio and servers read them: state, update (each key's
// reducer input, all optional), input, output and config (the context schema). A field's `jsonSchemaExtra` (withLangGraph / registry
// metadata, e.g. `langgraph_type: "messages"`) is merged into its property. A StateSchema state gives its own
// schemas (stateSchemaJson.ts); other states give undefined.
import { z } from "zod";
import { StateSchema } from "./stateSchema";
import { zodFieldMeta } from "./zodState";

type JsonSchema = Record<string, unknown>;
interface GraphWithSchemas {
  plan?: { schemas?: { state: unknown; input?: unknown; output?: unknown; context?: unknown } };
}

function zodShape(schema: unknown): Record<string, unknown> | undefined {
  const def = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | null)?._zod?.def;
  return def?.shape;
}

function fieldSchema(field: unknown): JsonSchema {
  if ((field as { _zod?: unknown })?._zod === undefined) return {};
  const { $schema, ...json } = z.toJSONSchema(field as z.ZodType, { unrepresentable: "any" }) as JsonSchema;
  void $schema;
  return json;
}

function objectSchema(schema: unknown, update: boolean): JsonSchema | undefined {
  const shape = zodShape(schema);
  if (shape === undefined) return undefined;
  // zod's own schema of the object gives $schema, required and additionalProperties; the properties are made
  // per field so that metadata extras and (for updates) reducer input schemas take their place.
  const whole = z.toJSONSchema(schema as z.ZodType, { unrepresentable: "any" }) as JsonSchema;
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
