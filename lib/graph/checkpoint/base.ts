// The checkpointer interface (shaped like LangGraph.js's BaseCheckpointSaver): where a thread's
// checkpoints and the writes of its unfinished steps are kept. One implementation per folder
// (memory/, ...), all tested by the same cases (checkpointer.cases.ts).
import type { StateValues } from "../types";

export interface CheckpointConfig {
  configurable: { thread_id?: string; checkpoint_ns?: string; checkpoint_id?: string; [key: string]: unknown };
}

/** A task scheduled for the step after a checkpoint; saved so a resumed run re-runs the same task (same id). */
export interface SavedTask {
  id: string;
  name: string;
  path: Array<string | number | boolean>;
  triggers: string[];
  /** For tasks created by Send: the Send's argument. Pull tasks read the checkpoint's values. */
  args?: unknown;
}

export interface Checkpoint {
  v: 1;
  id: string;
  /** ISO timestamp of creation. */
  ts: string;
  /** The state. Held by reference: nodes must treat state values as immutable (as reducers do). */
  channel_values: StateValues;
  /** Tasks of the next step. */
  next_tasks: SavedTask[];
  /** Waiting edges (`addEdge([a, b], c)`): which starts have finished, per join channel. */
  barriers: Record<string, string[]>;
  /** The node that wrote last (default `asNode` of updateState). */
  last_node?: string;
}

export interface CheckpointMetadata {
  source: "input" | "loop" | "update" | "fork";
  step: number;
  parents: Record<string, string>;
  [key: string]: unknown;
}

/** [taskId, channel, value]: a write of a task of the step after the checkpoint (kept while that step is unfinished). */
export type PendingWrite = [taskId: string, channel: string, value: unknown];

export interface CheckpointTuple {
  config: CheckpointConfig;
  checkpoint: Checkpoint;
  metadata: CheckpointMetadata;
  parentConfig?: CheckpointConfig;
  pendingWrites: PendingWrite[];
}

export interface CheckpointListOptions {
  limit?: number;
  /** Only checkpoints created before this one. */
  before?: CheckpointConfig;
  /** Only checkpoints whose metadata has these values. */
  filter?: Record<string, unknown>;
}

export interface BaseCheckpointSaver {
  /** The checkpoint named by `config` (checkpoint_id), or the thread's latest. */
  getTuple(config: CheckpointConfig): Promise<CheckpointTuple | undefined>;
  /** A thread's checkpoints, newest first. */
  list(config: CheckpointConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple>;
  /** Stores a checkpoint; returns the config that names it. `config` names its parent (or none). */
  put(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<CheckpointConfig>;
  /** Adds writes of unfinished tasks to the checkpoint named by `config`. */
  putWrites(config: CheckpointConfig, writes: Array<[channel: string, value: unknown]>, taskId: string): Promise<void>;
  deleteThread(threadId: string): Promise<void>;
}

/**
 * Checkpointers that can also answer synchronously (MemorySaver) let `streamSync` run graphs that
 * checkpoint. Their async methods must store synchronously before returning.
 */
export interface SyncCheckpointSaver extends BaseCheckpointSaver {
  getTupleSync(config: CheckpointConfig): CheckpointTuple | undefined;
  putSync(config: CheckpointConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): CheckpointConfig;
  putWritesSync(config: CheckpointConfig, writes: Array<[channel: string, value: unknown]>, taskId: string): void;
}

export function isSyncCheckpointSaver(saver: BaseCheckpointSaver): saver is SyncCheckpointSaver {
  return typeof (saver as Partial<SyncCheckpointSaver>).getTupleSync === "function";
}
