// How Rill's engine keeps what it needs inside LangGraph's checkpoint fields, so any LangGraph saver
// (which stores only v, id, ts, channel_values, channel_versions and versions_seen) can hold Rill's
// checkpoints: the state's keys are channels, and three reserved channels carry the rest:
//   __rill_next__       the tasks of the next step (ids kept, so pending writes find their task on resume)
//   __rill_barriers__   waiting edges (`addEdge([a, b], c)`): which starts have finished, per join channel
//   __rill_last_node__  the node that wrote last (updateState's default `asNode`)
import type { Checkpoint } from "./base";
import { reviveCommandsAndSends } from "./revivedCommands";

/** A task scheduled for the step after a checkpoint; saved so a resumed run re-runs the same task (same id). */
export interface SavedTask {
  id: string;
  name: string;
  path: Array<string | number | boolean>;
  triggers: string[];
  /** For tasks created by Send: the Send's argument. Pull tasks read the checkpoint's values. */
  args?: unknown;
}

export const NEXT_TASKS_CHANNEL = "__rill_next__";
export const BARRIERS_CHANNEL = "__rill_barriers__";
export const LAST_NODE_CHANNEL = "__rill_last_node__";

const NO_TASKS: SavedTask[] = Object.freeze([]) as unknown as SavedTask[];
const NO_BARRIERS: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;

/** What Rill reads back from a checkpoint. */
export interface EngineCheckpoint {
  /** The state: `channel_values` without the reserved channels. */
  state: Record<string, unknown>;
  nextTasks: SavedTask[];
  barriers: Record<string, string[]>;
  lastNode: string | undefined;
}

export function makeCheckpoint(
  id: string,
  ts: string,
  state: Record<string, unknown>,
  nextTasks: SavedTask[],
  barriers: Record<string, string[]>,
  lastNode: string | undefined,
): Checkpoint {
  if (NEXT_TASKS_CHANNEL in state || BARRIERS_CHANNEL in state || LAST_NODE_CHANNEL in state) {
    const key = [NEXT_TASKS_CHANNEL, BARRIERS_CHANNEL, LAST_NODE_CHANNEL].find((k) => k in state);
    throw new Error(`State key "${key}" is reserved for the engine's checkpoints; rename it to use a checkpointer`);
  }
  const channel_values: Record<string, unknown> = { ...state, [NEXT_TASKS_CHANNEL]: nextTasks, [BARRIERS_CHANNEL]: barriers };
  if (lastNode !== undefined) channel_values[LAST_NODE_CHANNEL] = lastNode;
  return { v: 4, id, ts, channel_values, channel_versions: {}, versions_seen: {} };
}

/** Reads a checkpoint written by `makeCheckpoint` (or any LangGraph checkpoint: no tasks, no barriers). */
export function readCheckpoint(checkpoint: Checkpoint): EngineCheckpoint {
  const values = checkpoint.channel_values ?? {};
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    if (key !== NEXT_TASKS_CHANNEL && key !== BARRIERS_CHANNEL && key !== LAST_NODE_CHANNEL) state[key] = values[key];
  }
  return {
    state,
    nextTasks: withRevivedArgs((values[NEXT_TASKS_CHANNEL] as SavedTask[] | undefined) ?? NO_TASKS),
    barriers: (values[BARRIERS_CHANNEL] as Record<string, string[]> | undefined) ?? NO_BARRIERS,
    lastNode: values[LAST_NODE_CHANNEL] as string | undefined,
  };
}

/** Saved Send arguments holding serialized Commands / Sends get instances again (checkpoint/revivedCommands.ts). */
function withRevivedArgs(tasks: SavedTask[]): SavedTask[] {
  let out: SavedTask[] | undefined;
  for (let i = 0; i < tasks.length; i++) {
    const args = tasks[i].args;
    if (args === null || typeof args !== "object") continue;
    const revived = reviveCommandsAndSends(args);
    if (revived !== args) (out ??= tasks.slice())[i] = { ...tasks[i], args: revived };
  }
  return out ?? tasks;
}
