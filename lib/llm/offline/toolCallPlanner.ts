// Arguments for an offline tool call, filled from the tool's JSON schema and the prompt: strings get the
// prompt's subject, numbers the first number in the prompt, enums their first value. Returns JSON text,
// which the model streams in fragments like a real one does.
import type { JsonSchema, OfflineTool } from "./chatRequest";
import { topicOf } from "./promptTopic";

export function planToolCall(tool: OfflineTool, prompt: string): string {
  const schema = tool.parameters;
  const properties = schema?.properties ?? {};
  const names = schema?.required?.length ? schema.required : Object.keys(properties);
  const args: Record<string, unknown> = {};
  for (const name of names) args[name] = valueFor(properties[name] ?? {}, prompt);
  return JSON.stringify(args);
}

function valueFor(schema: JsonSchema, prompt: string): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "number":
    case "integer": {
      const number = /-?\d+(?:\.\d+)?/.exec(prompt);
      const value = number ? Number(number[0]) : 1;
      return type === "integer" ? Math.trunc(value) : value;
    }
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return topicOf(prompt) ?? prompt.slice(0, 60);
  }
}
