// `graph.streamEvents(input, { version: "v2" })`: LangChain's event stream, for the events a graph run
// itself makes: the graph's `on_chain_start` / `on_chain_stream` (each "updates" chunk) / `on_chain_end`,
// each task's `on_chain_start` / `on_chain_end` (from the "tasks" stream), and `on_chat_model_stream` for
// chat-model tokens (from the "messages" stream). LangChain's own runnables inside nodes (prompts,
// parsers, tools) do not report events here. Returned synchronously, with `cancel()`, as LangChain's is.
import { randomUUID } from "node:crypto";
import type { Namespace } from "../types";

export interface ChainEvent {
  event: string;
  name: string;
  run_id: string;
  tags: string[];
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
  parent_ids: string[];
}

export interface ChainEventStream extends AsyncIterable<ChainEvent> {
  cancel(reason?: unknown): Promise<void>;
}

type Chunk = [Namespace, string, unknown];

/** Events of one run: `open(signal)` starts the graph's stream with the modes read here. */
export function chainEventStream(name: string, input: unknown, tags: string[], metadata: Record<string, unknown>, open: (signal: AbortSignal) => AsyncIterable<Chunk>): ChainEventStream {
  const controller = new AbortController();
  async function* events(): AsyncGenerator<ChainEvent> {
    const runId = randomUUID();
    const base = { tags, metadata: { ...metadata } };
    yield { event: "on_chain_start", name, run_id: runId, ...base, data: { input }, parent_ids: [] };
    const taskRuns = new Map<string, { runId: string; parents: string[]; input: unknown }>();
    let output: unknown = undefined;
    // A node's update is streamed after its on_chain_end (the engine reports the update first).
    let held: ChainEvent[] = [];
    for await (const [namespace, mode, chunk] of open(controller.signal)) {
      const isTaskEnd = mode === "tasks" && !("input" in (chunk as object));
      if (!isTaskEnd && held.length > 0) {
        yield* held;
        held = [];
      }
      if (mode === "updates") {
        if (namespace.length === 0) held.push({ event: "on_chain_stream", name, run_id: runId, ...base, data: { chunk }, parent_ids: [] });
      } else if (mode === "values") {
        if (namespace.length === 0) output = chunk;
      } else if (mode === "tasks") {
        const task = chunk as { id: string; name: string; input?: unknown; result?: unknown; error?: unknown };
        const parents = [runId, ...namespace.map((ns) => taskRuns.get(ns.slice(ns.indexOf(":") + 1))?.runId).filter((id): id is string => id !== undefined)];
        if ("input" in task) {
          const run = { runId: randomUUID(), parents, input: task.input };
          taskRuns.set(task.id, run);
          yield { event: "on_chain_start", name: task.name, run_id: run.runId, tags, metadata: { ...metadata, langgraph_node: task.name }, data: { input: task.input }, parent_ids: parents };
        } else {
          const run = taskRuns.get(task.id);
          if (run !== undefined) {
            taskRuns.delete(task.id);
            yield { event: "on_chain_end", name: task.name, run_id: run.runId, tags, metadata: { ...metadata, langgraph_node: task.name }, data: { input: run.input, output: task.result }, parent_ids: run.parents };
          }
          yield* held;
          held = [];
        }
      } else if (mode === "messages") {
        const [message, messageMetadata] = chunk as [unknown, Record<string, unknown>];
        yield { event: "on_chat_model_stream", name: String(messageMetadata?.ls_model_name ?? "chat_model"), run_id: randomUUID(), tags, metadata: { ...metadata, ...messageMetadata }, data: { chunk: message }, parent_ids: [runId] };
      }
    }
    yield* held;
    yield { event: "on_chain_end", name, run_id: runId, ...base, data: { output }, parent_ids: [] };
  }
  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async cancel(reason?: unknown) {
      controller.abort(reason);
      await iterator.return(undefined);
    },
  };
}
