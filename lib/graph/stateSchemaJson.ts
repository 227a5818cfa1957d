// The JSON schemas of a StateSchema, as LangGraph.js 1.7.3 makes them: each field's schema from its
// Standard JSON Schema (`~standard.jsonSchema.input`, draft-07; zod 4 has it), a ReducedValue's
// `jsonSchemaExtra` merged in (MessagesValue: `langgraph_type: "messages"`). The state's schema types a reducer
// key by its value and lists keys without a default as required; the input/update schema types it by its
// input, every key optional.
import { ReducedValue, isStandardSchema, schemaDefault, type StateSchemaFields } from "./stateSchema";

type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  const standard = (schema as { "~standard"?: { jsonSchema?: { input?: (options: { target: string }) => JsonSchema } } } | null)?.["~standard"];
  if (typeof standard?.jsonSchema?.input !== "function") return undefined;
  try {
    return standard.jsonSchema.input({ target: "draft-07" });
  } catch {
    return undefined;
  }
}

function fieldJsonSchema(field: unknown, input: boolean): JsonSchema | undefined {
  if (ReducedValue.isInstance(field)) {
    const own = jsonSchemaOf(input ? field.inputSchema : field.valueSchema);
    return field.jsonSchemaExtra ? { ...own, ...field.jsonSchemaExtra } : own;
  }
  return isStandardSchema(field) ? jsonSchemaOf(field) : undefined;
}

/** The state's JSON schema (getStateTypeSchema / getOutputTypeSchema of a StateSchema graph). */
export function stateSchemaJson(fields: StateSchemaFields): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const schema = fieldJsonSchema(field, false);
    if (schema === undefined) continue;
    properties[key] = schema;
    if (schemaDefault(ReducedValue.isInstance(field) ? field.valueSchema : field) === undefined) required.push(key);
  }
  return { type: "object", properties, required: required.length > 0 ? required : undefined };
}

/** An update's (or the input's) JSON schema: reducer keys typed by their input, nothing required. */
export function stateSchemaInputJson(fields: StateSchemaFields): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, field] of Object.entries(fields)) {
    const schema = fieldJsonSchema(field, true);
    if (schema !== undefined) properties[key] = schema;
  }
  return { type: "object", properties };
}
