// "tools" chunks as streamEvents v3 shows them (LangGraph.js's protocol): `tool-started`, `tool-output-delta`,
// `tool-finished`, `tool-error`, keyed by `tool_call_id`.
import type { ToolsChunk } from "../types";

export type ToolsEventData =
  | { event: "tool-started"; tool_call_id: string; tool_name: string; input: unknown }
  | { event: "tool-output-delta"; tool_call_id: string; delta: string }
  | { event: "tool-finished"; tool_call_id: string; output: unknown }
  | { event: "tool-error"; tool_call_id: string; message: string };

export function toolsEventData(chunk: ToolsChunk): ToolsEventData {
  const tool_call_id = chunk.toolCallId ?? "";
  switch (chunk.event) {
    case "on_tool_start":
      return { event: "tool-started", tool_call_id, tool_name: chunk.name, input: chunk.input };
    case "on_tool_event":
      return { event: "tool-output-delta", tool_call_id, delta: typeof chunk.data === "string" ? chunk.data : JSON.stringify(chunk.data ?? "") };
    case "on_tool_end":
      return { event: "tool-finished", tool_call_id, output: chunk.output };
    case "on_tool_error": {
      const error = chunk.error as { message?: unknown } | null | undefined;
      const message = typeof error === "object" && error !== null && typeof error.message === "string" ? error.message : String(error ?? "unknown error");
      return { event: "tool-error", tool_call_id, message };
    }
  }
}
