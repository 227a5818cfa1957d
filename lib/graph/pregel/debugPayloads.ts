// What the "tasks", "checkpoints" and "debug" streams show (LangGraph.js's payloads): a task starting, a
// task's result, a checkpoint with its config as LangGraph.js's RunnableConfig (inside a subgraph: the
// ancestors' checkpoints, the parent task's metadata and name).
import type { CheckpointConfig, CheckpointMetadata } from "../checkpoint/base";
import type { SavedTask } from "../checkpoint/checkpointFields";
import type { CheckpointPayload, DebugChunk, Interrupt, TaskResultPayload, TaskStartPayload } from "../types";
import type { PregelLoop } from "./loop";
import type { Task } from "./task";

const TASK_METADATA = { ls_integration: "langgraph" } as const;

/** A task starting, in "tasks" and "debug". */
export function announceStart(loop: PregelLoop, task: Task): void {
  const payload: TaskStartPayload = {
    id: task.id,
    name: task.name,
    input: task.input,
    triggers: task.triggers,
    interrupts: [],
    metadata: TASK_METADATA,
  };
  if (loop.streams.tasks) loop.emit("tasks", payload);
  if (loop.streams.debug) {
    const chunk: DebugChunk = { step: loop.step, type: "task", timestamp: new Date().toISOString(), payload } as DebugChunk;
    loop.emit("debug", chunk);
  }
}

/** A task's result (or error, or interrupts), in "tasks" and "debug". */
export function announceResult(loop: PregelLoop, payload: TaskResultPayload): void {
  if (loop.streams.tasks) loop.emit("tasks", payload);
  if (loop.streams.debug) {
    const chunk: DebugChunk = { step: loop.step, type: "task_result", timestamp: new Date().toISOString(), payload } as DebugChunk;
    loop.emit("debug", chunk);
  }
}

/** A subgraph's checkpoints name the checkpoints of its ancestors: `{ [namespace]: checkpoint_id }`. */
export function ancestorCheckpoints(loop: PregelLoop): Record<string, string> {
  const parentLoop = loop.parentTask?.loop;
  if (!parentLoop) return {};
  // (durability "exit": the parent has saved nothing yet; its step's checkpoint id stands in, as LangGraph.js's in-memory one does)
  const parentId = (parentLoop.checkpointConfig?.configurable?.checkpoint_id as string | undefined) ?? (parentLoop.store !== undefined ? parentLoop.currentCheckpointId() : undefined);
  if (parentId === undefined) return {};
  return { ...ancestorCheckpoints(parentLoop), [parentLoop.checkpointNs]: parentId };
}

/** The `config` of a checkpoint as "checkpoints" shows it (LangGraph.js's RunnableConfig shape). */
export function checkpointPayloadConfig(loop: PregelLoop, config: CheckpointConfig): CheckpointPayload["config"] {
  const store = loop.store!;
  const run = loop.run;
  const checkpointId = config.configurable?.checkpoint_id as string | undefined;
  const tags = (run.config.tags as string[] | undefined) ?? [];
  const parent = loop.parentTask;
  if (parent === undefined) {
    return {
      configurable: { checkpoint_ns: store.checkpointNs, thread_id: store.threadId, checkpoint_id: checkpointId },
      metadata: run.checkpointConfigMetadata(store.threadId),
      recursion_limit: run.recursionLimit,
      tags,
    };
  }
  // Inside a subgraph, as LangGraph.js: the ancestors' checkpoints, the parent task's metadata, its name.
  const { ls_integration: _ls, ...taskMetadata } = parent.metadata;
  void _ls;
  return {
    configurable: { checkpoint_ns: store.checkpointNs, thread_id: store.threadId, checkpoint_map: ancestorCheckpoints(loop), checkpoint_id: checkpointId },
    metadata: { ...run.checkpointConfigMetadata(store.threadId), ...taskMetadata },
    recursion_limit: run.recursionLimit,
    run_name: parent.name,
    tags,
  } as CheckpointPayload["config"];
}

/** A checkpoint, in "checkpoints" and "debug". */
export function emitCheckpoint(
  loop: PregelLoop,
  config: CheckpointConfig,
  parentConfig: CheckpointPayload["parentConfig"],
  metadata: CheckpointMetadata,
  tasks: SavedTask[],
  interrupts: Map<string, Interrupt[]> | undefined,
  ts: string,
): void {
  const payload: CheckpointPayload = {
    config: checkpointPayloadConfig(loop, config),
    values: loop.state,
    metadata: { source: metadata.source, step: metadata.step, parents: metadata.parents },
    next: tasks.map((t) => t.name),
    tasks: tasks.map((t) => {
      const entry: CheckpointPayload["tasks"][number] = { id: t.id, name: t.name, path: t.path, interrupts: interrupts?.get(t.id) ?? [] };
      // A subgraph task points at the subgraph's own checkpoints.
      if (loop.plan.nodes.get(t.name)?.subgraph) {
        const ns = loop.checkpointNs === "" ? `${t.name}:${t.id}` : `${loop.checkpointNs}|${t.name}:${t.id}`;
        entry.state = { configurable: { thread_id: loop.store!.threadId, checkpoint_ns: ns } };
      }
      return entry;
    }),
  };
  if (parentConfig) payload.parentConfig = parentConfig;
  if (loop.streams.checkpoints) loop.emit("checkpoints", payload);
  if (loop.streams.debug) loop.emit("debug", { step: metadata.step, type: "checkpoint", timestamp: ts, payload } as DebugChunk);
}
