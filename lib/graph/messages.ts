// Plain, JSON-serializable message shapes. LangGraph.js streams class instances that serialize to
// LangChain's `{lc, type: "constructor", ...}` envelope; Rill streams the fields themselves so a chunk
// crosses a WebSocket and lands in a browser unchanged.

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  type?: "tool_call";
}

export interface ToolCallChunk {
  id?: string;
  name?: string;
  /** A fragment of the JSON arguments, as the provider streamed it. */
  args?: string;
  index?: number;
  type?: "tool_call_chunk";
}

export interface UsageMetadata {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/** One streamed delta of an LLM response; every chunk of one response shares `id`. */
export interface AIMessageChunk {
  type: "AIMessageChunk";
  id: string;
  content: string;
  tool_call_chunks: ToolCallChunk[];
  usage_metadata?: UsageMetadata;
  response_metadata?: Record<string, unknown>;
}

/** A complete AI message, as `ChatOpenAI.invoke` returns it and as nodes put it into the state. */
export interface AIMessage {
  type: "ai";
  id: string;
  content: string;
  tool_calls: ToolCall[];
  usage_metadata?: UsageMetadata;
  response_metadata?: Record<string, unknown>;
}

export interface HumanMessage {
  type: "human";
  id?: string;
  content: string;
}

export interface SystemMessage {
  type: "system";
  id?: string;
  content: string;
}

export interface ToolMessage {
  type: "tool";
  id?: string;
  content: string;
  tool_call_id: string;
}

export type BaseMessage = AIMessage | HumanMessage | SystemMessage | ToolMessage;

/** What "messages" mode yields first in each tuple: streamed chunks, or whole messages a node returned unstreamed. */
export type StreamedMessage = AIMessageChunk | BaseMessage;
