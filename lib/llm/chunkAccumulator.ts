// Folds the chunks of one streamed response into the AI message `invoke` returns: content concatenated in
// order, tool-call fragments joined by index and their JSON arguments parsed.
import type { AIMessage, AIMessageChunk, ToolCall, UsageMetadata } from "../graph/messages";

interface PartialToolCall {
  id?: string;
  name?: string;
  args: string;
}

export class ChunkAccumulator {
  private content = "";
  private readonly toolCalls: PartialToolCall[] = [];
  private usage: UsageMetadata | undefined;
  private responseMetadata: Record<string, unknown> = {};

  constructor(private readonly id: string) {}

  add(chunk: AIMessageChunk): void {
    this.content += chunk.content;
    for (const part of chunk.tool_call_chunks) {
      const index = part.index ?? this.toolCalls.length;
      const call = (this.toolCalls[index] ??= { args: "" });
      if (part.id !== undefined) call.id ??= part.id;
      if (part.name !== undefined) call.name ??= part.name;
      if (part.args !== undefined) call.args += part.args;
    }
    if (chunk.usage_metadata) this.usage = chunk.usage_metadata;
    if (chunk.response_metadata) Object.assign(this.responseMetadata, chunk.response_metadata);
  }

  toMessage(): AIMessage {
    const toolCalls: ToolCall[] = [];
    const invalid: Array<{ id?: string; name?: string; args: string; error: string }> = [];
    for (const call of this.toolCalls) {
      if (!call) continue;
      const parsed = parseArgs(call.args);
      if (parsed.ok && call.id !== undefined && call.name !== undefined) {
        toolCalls.push({ id: call.id, name: call.name, args: parsed.value, type: "tool_call" });
      } else {
        invalid.push({ ...call, error: parsed.ok ? "missing id or name" : parsed.error });
      }
    }
    const message: AIMessage = { type: "ai", id: this.id, content: this.content, tool_calls: toolCalls };
    if (this.usage) message.usage_metadata = this.usage;
    const metadata = invalid.length > 0 ? { ...this.responseMetadata, invalid_tool_calls: invalid } : this.responseMetadata;
    if (Object.keys(metadata).length > 0) message.response_metadata = metadata;
    return message;
  }
}

export function parseArgs(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, error: "arguments are not a JSON object" };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
