// The per-task context a chat model reports tokens to. The engine creates one per task and makes it
// reachable two ways: through the config a node receives (`model.invoke(msgs, config)`, as LangGraph.js
// users write it) and through AsyncLocalStorage (`model.invoke(msgs)`, as the seed's Python writes it).
import { AsyncLocalStorage } from "node:async_hooks";
import type { StreamedMessage } from "./messages";
import type { MessageMetadata } from "./types";

export interface TaskContext {
  /** The engine's fields for "messages" metadata: langgraph_step, langgraph_node, ... checkpoint_ns. */
  readonly metadata: MessageMetadata;
  /** Aborts when the run is cancelled; a model passes it to its HTTP request. */
  readonly signal: AbortSignal | undefined;
  /** True when someone consumes "messages" for this task (this graph, or an ancestor whose tokens include subgraphs'). */
  readonly streamsMessages: boolean;
  /** Report one streamed message chunk; `metadata` is `this.metadata` plus the model's `ls_*` fields. */
  emitMessage(message: StreamedMessage, metadata: MessageMetadata): void;
}

/** Key under which the engine puts the task context into a node's config. */
export const TASK_CONTEXT: unique symbol = Symbol.for("rill.taskContext");

const storage = new AsyncLocalStorage<TaskContext>();

/** The context of the task that is calling, from its config if passed, else from the async call chain. */
export function getTaskContext(config?: object): TaskContext | undefined {
  const fromConfig = config ? (config as { [TASK_CONTEXT]?: TaskContext })[TASK_CONTEXT] : undefined;
  return fromConfig ?? storage.getStore();
}

/** Run `fn` with `context` as the current task context (used by the engine around each node call). */
export function runWithTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}
