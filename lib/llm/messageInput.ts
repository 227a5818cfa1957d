// Converts what users pass to a chat model into OpenAI's request messages. Accepted, mixed freely:
// strings (a user message), `{ role, content }` objects as in the seed, Rill's plain messages
// (lib/graph/messages.ts), `[role, content]` tuples, and LangChain message instances (read by their `type`).
import type { ChatCompletionMessageParam, ChatCompletionMessageFunctionToolCall } from "openai/resources/chat/completions";
import type { BaseMessage, ToolCall } from "../graph/messages";

export type MessageLike =
  | string
  | [role: string, content: string]
  | { role: string; content: unknown; name?: string; tool_call_id?: string; tool_calls?: unknown }
  | BaseMessage
  | { type: string; content: unknown; tool_call_id?: string; tool_calls?: ToolCall[] };

export type ModelInput = string | MessageLike[];

const ROLE_ALIASES: Record<string, ChatCompletionMessageParam["role"]> = {
  user: "user",
  human: "user",
  system: "system",
  developer: "developer",
  assistant: "assistant",
  ai: "assistant",
  AIMessageChunk: "assistant",
  tool: "tool",
};

export function toOpenAIMessages(input: ModelInput, caller: string): ChatCompletionMessageParam[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  if (!Array.isArray(input)) {
    throw new TypeError(`${caller}: expected a string or an array of messages, got ${describe(input)}.`);
  }
  if (input.length === 0) throw new TypeError(`${caller}: the messages array is empty; send at least one message.`);
  return input.map((message, index) => toOpenAIMessage(message, `${caller}: messages[${index}]`));
}

function toOpenAIMessage(message: MessageLike, where: string): ChatCompletionMessageParam {
  if (typeof message === "string") return { role: "user", content: message };
  if (Array.isArray(message)) return fromRoleAndContent(message[0], message[1], message as unknown as Record<string, unknown>, where);
  if (typeof message !== "object" || message === null) {
    throw new TypeError(`${where} must be a string, a {role, content} object or a message, got ${describe(message)}.`);
  }
  const record = message as Record<string, unknown>;
  const role = typeof record.role === "string" ? record.role : typeof record.type === "string" ? record.type : undefined;
  if (role === undefined) throw new TypeError(`${where} has neither a "role" nor a "type".`);
  return fromRoleAndContent(role, record.content, record, where);
}

function fromRoleAndContent(rawRole: string, content: unknown, record: Record<string, unknown>, where: string): ChatCompletionMessageParam {
  const role = ROLE_ALIASES[rawRole];
  if (role === undefined) {
    throw new TypeError(`${where} has unknown role "${rawRole}" (expected user, system, developer, assistant or tool).`);
  }
  if (content !== null && content !== undefined && typeof content !== "string" && !Array.isArray(content)) {
    throw new TypeError(`${where}.content must be a string or an array of content parts, got ${describe(content)}.`);
  }
  const text = (content ?? "") as string;
  switch (role) {
    case "tool": {
      const toolCallId = record.tool_call_id;
      if (typeof toolCallId !== "string") throw new TypeError(`${where} is a tool message without a tool_call_id.`);
      return { role: "tool", content: text, tool_call_id: toolCallId };
    }
    case "assistant": {
      const toolCalls = assistantToolCalls(record.tool_calls, where);
      return toolCalls.length > 0
        ? { role: "assistant", content: text === "" ? null : (text as string), tool_calls: toolCalls }
        : { role: "assistant", content: text as string };
    }
    default:
      return { role, content: text } as ChatCompletionMessageParam;
  }
}

// Tool calls come either in OpenAI's shape (`function.arguments` as JSON text) or as parsed `{ name, args }`.
function assistantToolCalls(value: unknown, where: string): ChatCompletionMessageFunctionToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.map((call: Record<string, unknown>, index) => {
    const fn = call.function as { name?: unknown; arguments?: unknown } | undefined;
    const name = fn?.name ?? call.name;
    if (typeof call.id !== "string" || typeof name !== "string") {
      throw new TypeError(`${where}.tool_calls[${index}] needs a string id and name.`);
    }
    const args = typeof fn?.arguments === "string" ? fn.arguments : JSON.stringify(call.args ?? {});
    return { id: call.id, type: "function", function: { name, arguments: args } };
  });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}
