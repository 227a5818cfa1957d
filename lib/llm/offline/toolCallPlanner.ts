// Arguments for an offline tool call, filled from the tool's JSON schema and the prompt: strings get the
// prompt's subject, numbers the first number in the prompt, enums their first value. Returns JSON text,
// which the model streams in fragments like a real one does. At most MAX_ARGUMENTS properties are filled
// (OpenAI's own cap on a schema's properties), and the prompt is read once however many there are.
import type { JsonSchema, OfflineTool } from "./chatRequest";
import { topicOf } from "./promptTopic";
import { isDigit } from "./textScan";

const MAX_ARGUMENTS = 100;

export function planToolCall(tool: OfflineTool, prompt: string): string {
  const schema = tool.parameters;
  const properties = isRecord(schema?.properties) ? schema.properties : {};
  const required = Array.isArray(schema?.required) ? schema.required.filter((name): name is string => typeof name === "string") : [];
  const names = (required.length > 0 ? required : Object.keys(properties)).slice(0, MAX_ARGUMENTS);
  const read = promptReader(prompt);
  const args = names.map((name) => [name, valueFor(Object.hasOwn(properties, name) && isRecord(properties[name]) ? properties[name] : {}, read)]);
  return JSON.stringify(Object.fromEntries(args));
}

interface PromptReader {
  topic(): string;
  number(): number | undefined;
}

// What the arguments take from the prompt, each worked out once, on first use.
function promptReader(prompt: string): PromptReader {
  let topic: string | undefined;
  let number: { value: number | undefined } | undefined;
  return {
    topic: () => (topic ??= topicOf(prompt) ?? prompt.slice(0, 60)),
    number: () => (number ??= { value: firstNumber(prompt) }).value,
  };
}

function valueFor(schema: JsonSchema, read: PromptReader): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "number":
    case "integer": {
      const value = read.number() ?? 1;
      return type === "integer" ? Math.trunc(value) : value;
    }
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return read.topic();
  }
}

/** The first number in `text` (what /-?\d+(?:\.\d+)?/ finds), by one scan. */
function firstNumber(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(text.charCodeAt(i))) continue;
    const start = i > 0 && text[i - 1] === "-" ? i - 1 : i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    if (text[i] === "." && isDigit(text.charCodeAt(i + 1))) {
      i++;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    }
    return Number(text.slice(start, i));
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, JsonSchema> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
