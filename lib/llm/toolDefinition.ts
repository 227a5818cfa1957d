// Tools a model may call, in any of the shapes users have at hand, normalised to OpenAI's function tools:
// OpenAI's own `{ type: "function", function: { name, parameters } }`, a plain `{ name, description,
// parameters }` with a JSON schema, or `{ name, description, schema }` with a zod schema (as LangChain tools
// carry).
import type { ChatCompletionFunctionTool } from "openai/resources/chat/completions";
import { z } from "zod";

export type ToolDefinition =
  | ChatCompletionFunctionTool
  | { name: string; description?: string; parameters?: Record<string, unknown> }
  | { name: string; description?: string; schema: z.ZodType };

export type ToolChoice = "auto" | "none" | "required" | { name: string };

export function toOpenAITool(tool: ToolDefinition, index: number): ChatCompletionFunctionTool {
  if ("type" in tool && tool.type === "function" && "function" in tool) return tool;
  const plain = tool as { name?: unknown; description?: string; parameters?: Record<string, unknown>; schema?: unknown };
  if (typeof plain.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(plain.name)) {
    throw new TypeError(`bindTools: tools[${index}] needs a name of 1-64 letters, digits, "_" or "-" (got ${JSON.stringify(plain.name)}).`);
  }
  const parameters = plain.schema instanceof z.ZodType ? (z.toJSONSchema(plain.schema) as Record<string, unknown>) : (plain.parameters ?? { type: "object", properties: {} });
  const { $schema: _ignored, ...schema } = parameters;
  return { type: "function", function: { name: plain.name, description: plain.description, parameters: schema } };
}
