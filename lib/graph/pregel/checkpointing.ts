// Checkpointing: saving a step's checkpoint (state, next tasks, barriers) and the pending writes of a step
// that did not complete (finished tasks' writes, interrupts with their resume values, errors), so a resume
// re-runs only what must. Durability "exit" defers the step checkpoints to where the run ends.
import type { CheckpointMetadata, PendingWrite } from "../checkpoint/base";
import { makeCheckpoint, type SavedTask } from "../checkpoint/checkpointFields";
import { INTERRUPT } from "../constants";
import { functionalOf } from "../func/functionalState";
import { checkpointPayloadConfig, emitCheckpoint, ancestorCheckpoints } from "./debugPayloads";
import { checkpointId, checkpointTimestamp } from "./ids";
import type { PregelLoop } from "./loop";
import type { Task } from "./task";

/** Pending-write channels a checkpoint keeps for a task of the step it starts. */
export const WRITES = "__writes__";
/** Read only: a task's routes as stores written before WRITES_ROUTED kept them (a second pending write). */
export const ROUTES = "__routes__";
/** A task's writes and the routes it chose, in one pending write: [writes, routes]. */
export const WRITES_ROUTED = "__writes_routes__";
export const RESUME = "__resume__";
export const ERROR = "__error__";

const NO_BARRIERS: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;

/** Saves the loop's checkpoint (its state and next tasks, or `tasks`) and streams it unless `announce` is false. */
export function saveCheckpoint(loop: PregelLoop, source: CheckpointMetadata["source"], tasks: SavedTask[] | undefined, announce = true): void {
  if (source === "loop" && loop.run.durability === "exit") {
    // Saved when the run ends, stops or fails (flushDeferredCheckpoint), not at every step.
    loop.deferredCheckpoint = { step: loop.step, announce };
    return;
  }
  const store = loop.store!;
  const nextTasks = tasks ?? loop.tasks.map(savedTask);
  // No barrier waiting (most steps): the same empty object each time, so the channel keeps its version and a
  // saver storing changed channels only does not store it again.
  let barriers = NO_BARRIERS;
  if (loop.barriers.size > 0) {
    barriers = {};
    for (const [channel, seen] of loop.barriers) barriers[channel] = [...seen];
  }
  const checkpoint = makeCheckpoint(checkpointId(), checkpointTimestamp(), loop.state, nextTasks, barriers, loop.lastNode);
  const runId = loop.run.runId;
  const metadata: CheckpointMetadata =
    runId === undefined ? { source, step: loop.step, parents: ancestorCheckpoints(loop) } : { source, step: loop.step, parents: ancestorCheckpoints(loop), run_id: runId };
  const parentConfig = loop.checkpointConfig;
  const config = store.put(parentConfig, checkpoint, metadata);
  loop.checkpointConfig = config;
  if (announce && (loop.streams.checkpoints || loop.streams.debug)) {
    emitCheckpoint(loop, config, parentConfig ? checkpointPayloadConfig(loop, parentConfig) : undefined, metadata, nextTasks, undefined, checkpoint.ts);
  }
}

/** The id of the checkpoint this step runs from; without a checkpointer, an id drawn once per step. */
export function currentCheckpointId(loop: PregelLoop): string {
  const saved = loop.checkpointConfig?.configurable?.checkpoint_id as string | undefined;
  if (saved !== undefined) return saved;
  if (loop.stepCheckpoint === null || loop.stepCheckpoint.step !== loop.step) loop.stepCheckpoint = { step: loop.step, id: checkpointId() };
  return loop.stepCheckpoint.id;
}


/** Keeps the writes of a step that did not complete (interrupt, error), so a resume re-runs only what must. */
export function persistPendingWrites(loop: PregelLoop): void {
  flushDeferredCheckpoint(loop);
  const store = loop.store;
  const config = loop.checkpointConfig;
  if (!store || !config) return;
  for (const task of loop.tasks) {
    if (task.restored) continue;
    if (task.error !== undefined) {
      const error = task.error as { name?: unknown; message?: unknown };
      store.putWrites(config, [[ERROR, { name: String(error?.name ?? "Error"), message: String(error?.message ?? error) }]], task.id);
      // A failed entrypoint keeps its finished task() calls: running the thread again does not repeat them.
      const functional = functionalOf(task);
      if (functional !== undefined) store.putWrites(config, [[RESUME, { values: task.resumeValues, functional: functional.saved() }]], task.id);
    } else if (task.interrupts !== null) {
      const functional = functionalOf(task);
      const resume = functional === undefined ? task.resumeValues : { values: task.resumeValues, functional: functional.saved() };
      store.putWrites(config, [[INTERRUPT, task.interrupts], [RESUME, resume]], task.id);
    } else if (task.finished) {
      store.putWrites(config, finishedWrites(task), task.id);
    }
  }
}

/** A cancelled step: saves the writes of its tasks that finished, and waits for the saver. */
export async function keepFinishedWrites(loop: PregelLoop): Promise<void> {
  flushDeferredCheckpoint(loop);
  const store = loop.store;
  const config = loop.checkpointConfig;
  if (!store || !config) return;
  for (const task of loop.tasks) if (task.finished && !task.restored) store.putWrites(config, finishedWrites(task), task.id);
  await store.flush();
}

/** durability "exit": saves the checkpoint the last step would have saved. */
export function flushDeferredCheckpoint(loop: PregelLoop): void {
  const deferred = loop.deferredCheckpoint;
  if (deferred === null) return;
  loop.deferredCheckpoint = null;
  const step = loop.step;
  loop.step = deferred.step;
  const durability = loop.run.durability;
  (loop.run as { durability: string }).durability = "async";
  try {
    saveCheckpoint(loop, "loop", undefined, deferred.announce);
  } finally {
    (loop.run as { durability: string }).durability = durability;
    loop.step = step;
  }
}


/**
 * A finished task's pending write, one per task: its writes, with the routes it chose when it chose any
 * (a durable saver stores one row per pending write, so a step costs one row per task).
 */
function finishedWrites(task: Task): PendingWrite[] {
  if (task.routes.length === 0) return [[WRITES, task.writes]];
  return [[WRITES_ROUTED, [task.writes, task.routes]]];
}

/** The writes a task's pending write holds (WRITES or WRITES_ROUTED), or undefined for another channel. */
export function writesOf(channel: string, value: unknown): Array<[string, unknown]> | undefined {
  if (channel === WRITES) return value as Array<[string, unknown]>;
  if (channel === WRITES_ROUTED) return (value as [Array<[string, unknown]>, unknown])[0];
  return undefined;
}

function savedTask(task: Task): SavedTask {
  const saved: SavedTask = { id: task.id, name: task.name, path: task.path, triggers: task.triggers };
  if (task.isPush) saved.args = task.input;
  return saved;
}
