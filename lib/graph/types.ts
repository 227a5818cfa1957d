// The shapes the engine streams. These types flow unchanged through the run server's `AppRouter`
// into the browser, so they describe JSON: no classes, no functions.
import type { StreamedMessage } from "./messages";

export type StreamMode = "values" | "updates" | "custom" | "messages" | "debug" | "tasks" | "checkpoints" | "tools";

export const STREAM_MODES: readonly StreamMode[] = [
  "values",
  "updates",
  "custom",
  "messages",
  "debug",
  "tasks",
  "checkpoints",
  "tools",
];

export type StateValues = Record<string, unknown>;

export interface Interrupt<V = unknown> {
  id: string;
  value: V;
}

export interface TaskError {
  name: string;
  message: string;
}

/** `tasks` mode, and the payload of a `debug` event of type "task". */
export interface TaskStartPayload {
  id: string;
  name: string;
  input: unknown;
  triggers: string[];
  interrupts: Interrupt[];
  metadata?: Record<string, unknown>;
}

/** `tasks` mode, and the payload of a `debug` event of type "task_result". */
export interface TaskResultPayload {
  id: string;
  name: string;
  result: unknown;
  error: TaskError | null;
  interrupts: Interrupt[];
}

export interface CheckpointConfig {
  configurable: { thread_id?: string; checkpoint_ns?: string; checkpoint_id?: string; [key: string]: unknown };
  /** As LangGraph.js streams it: the run's metadata (ls_integration, thread_id, ...). */
  metadata?: Record<string, unknown>;
  recursion_limit?: number;
  tags?: string[];
}

/** `checkpoints` mode, and the payload of a `debug` event of type "checkpoint". */
export interface CheckpointPayload {
  config: CheckpointConfig;
  parentConfig?: CheckpointConfig;
  values: StateValues;
  metadata: { source: "input" | "loop" | "update" | "fork"; step: number; parents: Record<string, string>; [key: string]: unknown };
  next: string[];
  tasks: Array<{ id: string; name: string; path?: Array<string | number | boolean>; error?: TaskError; interrupts: Interrupt[]; state?: unknown }>;
}

export type DebugChunk =
  | { type: "task"; timestamp: string; step: number; payload: TaskStartPayload }
  | { type: "task_result"; timestamp: string; step: number; payload: TaskResultPayload }
  | { type: "checkpoint"; timestamp: string; step: number; payload: CheckpointPayload };

/** Metadata of a "messages" tuple: where the token came from (engine fields) plus what the model adds (`ls_*`). */
export interface MessageMetadata {
  langgraph_step: number;
  langgraph_node: string;
  langgraph_triggers: string[];
  /** ["__pregel_pull", node], or ["__pregel_push", index, false] for a Send. */
  langgraph_path: Array<string | number | boolean>;
  langgraph_checkpoint_ns: string;
  checkpoint_ns: string;
  tags?: string[];
  ls_provider?: string;
  ls_model_name?: string;
  ls_model_type?: "chat";
  ls_temperature?: number;
  [key: string]: unknown;
}

export type MessageTuple = [StreamedMessage, MessageMetadata];

/** `tools` mode: a LangChain tool's lifecycle, from a node that passes its config to `tool.invoke` (ToolNode does). */
export type ToolsChunk =
  | { event: "on_tool_start"; toolCallId: string | undefined; name: string; input: unknown }
  | { event: "on_tool_event"; toolCallId: string | undefined; name: string; data: unknown }
  | { event: "on_tool_end"; toolCallId: string | undefined; name: string; output: unknown }
  | { event: "on_tool_error"; toolCallId: string | undefined; name: string; error: unknown };

/** `updates` chunk: `{ node: update }`, or `{ __interrupt__: [...] }` when a node interrupted. */
export type UpdatesChunk = Record<string, unknown>;

export interface ChunkByMode<S = StateValues> {
  values: S;
  updates: UpdatesChunk;
  custom: unknown;
  messages: MessageTuple;
  debug: DebugChunk;
  tasks: TaskStartPayload | TaskResultPayload;
  checkpoints: CheckpointPayload;
  tools: ToolsChunk;
}

/** One multiplexed stream item, as a list of modes yields it: `[mode, chunk]`. */
export type StreamPart<S = StateValues> = { [M in StreamMode]: [M, ChunkByMode<S>[M]] }[StreamMode];

/** With `subgraphs: true`: namespace first, `[]` at the root, `["child:<taskId>"]` inside a subgraph. */
export type Namespace = string[];
