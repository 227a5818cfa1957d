// Turns a request into what the offline model will send: the deltas (one token each), the finish reason
// and the usage. The streaming and non-streaming responses are both rendered from this one plan, so they
// always agree.
import { randomBytes } from "node:crypto";
import type { OfflineChatRequest } from "./chatRequest";
import { composeReply, type OfflineReply } from "./composeReply";
import { promptTokenCount } from "./promptTokenCount";
import { tokenize } from "./tokenize";

export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function: { name?: string; arguments: string };
}

export type Delta = { content: string } | { tool_calls: ToolCallDelta[] };

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Canned answers for tests: text, or tool calls, or undefined to let the offline model answer. */
export type ReplyOverride = (request: OfflineChatRequest) => string | OfflineReply | undefined;

export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  deltas: Delta[];
  finishReason: "stop" | "length" | "tool_calls";
  usage: Usage;
}

/** `customReply`, when given and not undefined for this request, replaces the offline model's own answer. */
export function planCompletion(request: OfflineChatRequest, customReply?: ReplyOverride): CompletionPlan {
  const custom = customReply?.(request);
  const reply: OfflineReply = custom === undefined ? composeReply(request) : typeof custom === "string" ? { type: "text", text: custom } : custom;
  const deltas: Delta[] = [];
  let truncated = false;
  const budget = request.maxTokens ?? Number.POSITIVE_INFINITY;

  if (reply.type === "text") {
    for (const token of tokenize(reply.text)) {
      if (deltas.length >= budget) {
        truncated = true;
        break;
      }
      deltas.push({ content: token });
    }
  } else {
    reply.calls.forEach((call, index) => {
      if (truncated) return;
      if (deltas.length >= budget) {
        truncated = true;
        return;
      }
      const id = `call_${randomBytes(12).toString("base64url")}`;
      deltas.push({ tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: "" } }] });
      for (const fragment of tokenize(call.arguments)) {
        if (deltas.length >= budget) {
          truncated = true;
          return;
        }
        deltas.push({ tool_calls: [{ index, function: { arguments: fragment } }] });
      }
    });
  }

  const promptTokens = promptTokenCount(request);
  return {
    id: `chatcmpl-${randomBytes(15).toString("base64url")}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    deltas,
    finishReason: truncated ? "length" : reply.type === "tool_calls" ? "tool_calls" : "stop",
    usage: { prompt_tokens: promptTokens, completion_tokens: deltas.length, total_tokens: promptTokens + deltas.length },
  };
}

/** The whole completion as the non-streaming API returns it. */
export function completionBody(plan: CompletionPlan) {
  let content = "";
  const toolCalls: Array<{ id: string; type: "function"; function: { name: string; arguments: string } }> = [];
  for (const delta of plan.deltas) {
    if ("content" in delta) {
      content += delta.content;
      continue;
    }
    for (const call of delta.tool_calls) {
      if (call.id !== undefined) toolCalls[call.index] = { id: call.id, type: "function", function: { name: call.function.name ?? "", arguments: "" } };
      toolCalls[call.index].function.arguments += call.function.arguments;
    }
  }
  return {
    id: plan.id,
    object: "chat.completion" as const,
    created: plan.created,
    model: plan.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: toolCalls.length > 0 && content === "" ? null : content,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: plan.finishReason,
      },
    ],
    usage: plan.usage,
  };
}

/** One `chat.completion.chunk` event of the streaming API. */
export function chunkBody(
  plan: CompletionPlan,
  delta: Record<string, unknown> | null,
  finishReason: CompletionPlan["finishReason"] | null,
  usage: Usage | null | undefined,
) {
  return {
    id: plan.id,
    object: "chat.completion.chunk" as const,
    created: plan.created,
    model: plan.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: delta === null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(usage !== undefined ? { usage } : {}),
  };
}

export const SYSTEM_FINGERPRINT = "rill-offline";
