// Resuming from a saved checkpoint: its state and next tasks are restored, the writes of tasks that had
// finished are reused, resume values reach the interrupted tasks (by interrupt id, or all of them), and a
// resuming Command's update and gotos are applied. Replaying an earlier checkpoint forks it (time travel).
import type { Command } from "../command";
import { INTERRUPT, PUSH } from "../constants";
import { GraphValueError } from "../errors";
import type { Send } from "../send";
import type { Write } from "../channels/stateChannels";
import type { CheckpointTuple } from "../checkpoint/base";
import { readCheckpoint, type SavedTask } from "../checkpoint/checkpointFields";
import type { Interrupt } from "../types";
import { restoreFunctionalState, setFunctional, type SavedFunctionalResume } from "../func/functionalState";
import { RESUME, ROUTES, WRITES, WRITES_ROUTED, saveCheckpoint } from "./checkpointing";
import { emitCheckpoint } from "./debugPayloads";
import type { PregelLoop } from "./loop";
import { addGotoTasks } from "./planning";
import { Task, type TaskPath } from "./task";

/**
 * Continues from a saved checkpoint. Replaying an earlier checkpoint (`checkpoint_id` given) forks
 * it, as LangGraph.js does: a "fork" checkpoint with the same values and next nodes is saved, and its
 * tasks run again (their old writes are not reused).
 */
export function restore(loop: PregelLoop, tuple: CheckpointTuple, command: Command | undefined, fork: boolean, dropResumeValues: boolean, update?: Write[]): void {
  const metadata = tuple.metadata ?? { source: "loop", step: -1, parents: {} };
  const checkpoint = readCheckpoint(tuple.checkpoint);
  loop.state = checkpoint.state;
  if (update !== undefined && update.length > 0) {
    if (loop.plan.channels.validators !== null) loop.plan.channels.validate(update);
    loop.state = loop.plan.channels.apply(loop.state, [update]);
  }
  loop.lastNode = checkpoint.lastNode;
  loop.checkpointConfig = tuple.config;
  for (const [channel, seen] of Object.entries(checkpoint.barriers)) loop.barriers.set(channel, new Set(seen));
  const baseStep = fork ? metadata.step + 1 : metadata.step;
  loop.step = baseStep + 1;
  loop.stop = baseStep + loop.run.recursionLimit + 1;
  loop.skipInterruptBefore = true;
  const byId = new Map<string, Task>();
  for (const saved of checkpoint.nextTasks) {
    const task = restoreTask(loop, fork ? { ...saved, id: loop.run.ids.next() } : saved);
    if (!fork) task.rerunAfterStop = true;
    byId.set(fork ? saved.id : task.id, task);
    loop.tasks.push(task);
  }
  if (fork) {
    if (loop.streams.values) loop.emit("values", loop.state);
    loop.step = baseStep;
    saveCheckpoint(loop, "fork", undefined);
    loop.step = baseStep + 1;
    return;
  }
  const pendingInterrupts = new Map<Task, Interrupt[]>();
  for (const [taskId, channel, value] of tuple.pendingWrites ?? []) {
    const task = byId.get(taskId);
    if (!task) continue;
    if (channel === WRITES) {
      task.writes = value as Write[];
      task.restored = true;
    } else if (channel === WRITES_ROUTED) {
      [task.writes, task.routes] = value as [Write[], Array<string | Send>];
      task.restored = true;
    } else if (channel === ROUTES) task.routes = value as Array<string | Send>;
    else if (channel === RESUME) {
      // An entrypoint's task saves `{ values, functional }` (its task() calls' results ride along: a
      // resume write is replaced at each save, a regular write would be kept from the first one).
      const saved = Array.isArray(value) ? value : (value as SavedFunctionalResume).values;
      if (!Array.isArray(value)) setFunctional(task, restoreFunctionalState((value as SavedFunctionalResume).functional));
      if (!dropResumeValues) task.resumeValues = [...saved];
    }
    else if (channel === INTERRUPT) pendingInterrupts.set(task, value as Interrupt[]);
  }
  const resume = command?.resume ?? parentResume(loop);
  if (resume !== undefined) distributeResume(resume, pendingInterrupts);
  if (command !== undefined && command.goto.length > 0) addGotoTasks(loop, command.goto as Array<string | Send>);
  if (loop.streams.values) loop.emit("values", loop.state);
  // LangGraph.js shows the checkpoint it resumes from again (its parent config as the saver keeps it).
  if (loop.streams.checkpoints || loop.streams.debug) {
    const interrupts = new Map<string, Interrupt[]>();
    for (const [task, list] of pendingInterrupts) interrupts.set(task.id, list);
    const parent = tuple.parentConfig ? { configurable: { ...tuple.parentConfig.configurable } } : undefined;
    emitCheckpoint(loop, tuple.config, parent, metadata, checkpoint.nextTasks, interrupts, new Date().toISOString());
  }
}


/** A subgraph task re-run by a resumed parent hands the parent's newest resume value down. */
function parentResume(loop: PregelLoop): unknown {
  const parent = loop.parentTask;
  if (!parent || !parent.resumedNow) return undefined;
  return parent.resumeValues[parent.resumeValues.length - 1];
}

/** A map { interruptId: value } answers interrupts by id; any other value answers every pending one. */
function distributeResume(resume: unknown, pending: Map<Task, Interrupt[]>): void {
  if (pending.size === 0) return;
  // A map { interruptId: value } answers interrupts by id; any other value answers every pending one.
  if (resume !== null && typeof resume === "object" && !Array.isArray(resume)) {
    const map = resume as Record<string, unknown>;
    const ids = Object.keys(map);
    if (ids.length > 0 && ids.every((id) => [...pending.values()].some((list) => list.some((i) => i.id === id)))) {
      for (const [task, interrupts] of pending) {
        const hit = interrupts.find((i) => i.id in map);
        if (hit) {
          task.addResume(map[hit.id]);
          task.resumedNow = true;
        }
      }
      return;
    }
  }
  for (const task of pending.keys()) {
    task.addResume(resume);
    task.resumedNow = true;
  }
}

function restoreTask(loop: PregelLoop, saved: SavedTask): Task {
  const node = loop.plan.nodes.get(saved.name);
  if (!node) throw new GraphValueError(`Checkpoint names node "${saved.name}", which this graph does not have`);
  const isPush = saved.path[0] === PUSH;
  return new Task(loop, saved.id, node, saved.path as TaskPath, saved.triggers, isPush ? saved.args : undefined, isPush, loop.step);
}
