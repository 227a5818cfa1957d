// Starting a graph's loop: the thread's checkpoint is loaded (if there is a checkpointer) and the input
// decides what happens next: a new input starts a run (its input checkpoint and the first step's tasks),
// while null or a resuming Command continues from the checkpoint (resume.ts).
import { isCommand } from "../command";
import { INTERRUPT, PULL, START } from "../constants";
import { EmptyInputError, InvalidUpdateError } from "../errors";
import type { Send } from "../send";
import type { Write } from "../channels/stateChannels";
import type { CheckpointTuple } from "../checkpoint/base";
import { readCheckpoint, type SavedTask } from "../checkpoint/checkpointFields";
import type { StateValues } from "../types";
import { saveCheckpoint, WRITES } from "./checkpointing";
import type { PregelLoop } from "./loop";
import type { Exits } from "./plan";
import { RouteList } from "./planning";
import { runBranches } from "./branches";
import { restore } from "./resume";

/** Loads the thread's checkpoint (if any) and applies the input: a new input, null (continue) or a Command (resume). */
export function beginLoop(loop: PregelLoop, input: unknown): void | Promise<void> {
  if (loop.store === undefined) return beginWith(loop, undefined, input, false);
  const checkpointIdWanted = loop.parentTask ? undefined : (loop.run.config.configurable?.checkpoint_id as string | undefined);
  const loaded = loop.store.load(checkpointIdWanted);
  // With a checkpoint_id, is it the thread's head (a plain resume) or an earlier one (time travel)?
  const head = checkpointIdWanted === undefined ? undefined : loop.store.load(undefined);
  if (loaded instanceof Promise || head instanceof Promise) {
    return Promise.all([loaded, head]).then(([tuple, latest]) => beginWith(loop, tuple, input, isResumableHead(latest, checkpointIdWanted)));
  }
  return beginWith(loop, loaded, input, isResumableHead(head, checkpointIdWanted));
}

function beginWith(loop: PregelLoop, tuple: CheckpointTuple | undefined, input: unknown, atHead: boolean): void | Promise<void> {
  // A subgraph re-run by a resumed parent task continues from its own interrupted checkpoint.
  // (or stopped at a static breakpoint: its parent task was restored from a checkpoint and runs again).
  const parent = loop.parentTask;
  const resumedByParent =
    parent !== undefined &&
    tuple !== undefined &&
    ((parent.resumedNow && (tuple.pendingWrites ?? []).some(([, channel]) => channel === INTERRUPT)) || (parent.rerunAfterStop && readCheckpoint(tuple.checkpoint).nextTasks.length > 0));
  // A resume may come with an update and gotos (applied, and run alongside the resumed tasks).
  const resumeCommand = isCommand(input) && input.resume !== undefined;
  const resuming = resumedByParent || input === null || input === undefined || resumeCommand;
  // A Command with an update (or goto) on a thread stopped before its next tasks: the update is applied
  // and those tasks run, as LangGraph.js does at a breakpoint.
  if (!resuming && !loop.parentTask && isCommand(input) && input.resume === undefined && input.update !== undefined && tuple !== undefined && readCheckpoint(tuple.checkpoint).nextTasks.length > 0) {
    restore(loop, tuple, undefined, false, false, input.updateEntries().filter(([key]) => loop.plan.channels.has(key)));
    return;
  }
  if (resuming) {
    if (tuple === undefined) throw new EmptyInputError('Received no input writes for "__start__"');
    // Time travel (LangGraph.js's rules): a checkpoint_id that is not the head, without a resume value.
    // Its old resume values are dropped; a checkpoint made by the run (not by updateState or a fork)
    // is forked first, so history only grows.
    const timeTravel = !loop.parentTask && loop.run.config.configurable?.checkpoint_id !== undefined && !resumeCommand && !atHead;
    const source = tuple.metadata?.source;
    const fork = timeTravel && source !== "update" && source !== "fork";
    const command = isCommand(input) ? input : undefined;
    const update = command?.update !== undefined ? command.updateEntries().filter(([key]) => loop.plan.channels.has(key)) : undefined;
    restore(loop, tuple, command, fork, timeTravel, update);
    return;
  }
  return startFresh(loop, tuple, input);
}


/** A new input: saved as the run's input checkpoint (with a checkpointer), applied, and the first step planned. */
function startFresh(loop: PregelLoop, tuple: CheckpointTuple | undefined, input: unknown): void | Promise<void> {
  const channels = loop.plan.channels;
  const saved = tuple ? readCheckpoint(tuple.checkpoint) : undefined;
  const previous = saved ? saved.state : channels.initialState();
  const inputStep = tuple ? (tuple.metadata?.step ?? -1) + 1 : -1;
  loop.stop = inputStep + loop.run.recursionLimit + 1;
  loop.state = previous;
  loop.checkpointConfig = tuple?.config;
  if (saved) for (const [channel, seen] of Object.entries(saved.barriers)) loop.barriers.set(channel, new Set(seen));
  // (durability "exit" saves neither the input checkpoint nor its writes: only where the run ends.)
  const startTask: SavedTask | undefined = loop.store && loop.run.durability !== "exit" ? { id: loop.run.ids.next(), name: START, path: [PULL, START], triggers: [START] } : undefined;
  if (startTask) {
    loop.step = inputStep;
    saveCheckpoint(loop, "input", [startTask]);
  }
  let writes: Write[];
  const routes = new RouteList();
  if (isCommand(input)) {
    writes = input.updateEntries().filter(([key]) => channels.has(key));
    for (const dest of input.goto) routes.addRoute(dest as string | Send);
    if (input.resume !== undefined) throw new InvalidUpdateError("A Command with resume cannot also update or goto in this engine");
  } else if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    writes = [];
    const inputKeys = loop.plan.inputKeys;
    for (const key of Object.keys(input)) if (channels.has(key) && (inputKeys === null || inputKeys.includes(key))) writes.push([key, (input as StateValues)[key]]);
  } else {
    throw new InvalidUpdateError(`Expected the input of the graph to be an object, received ${Array.isArray(input) ? "array" : typeof input}`);
  }
  if (channels.validators !== null) channels.validate(writes);
  loop.step = inputStep + 1;
  if (startTask) loop.store!.putWrites(loop.checkpointConfig!, [[WRITES, writes]], startTask.id);
  const next = channels.apply(loop.state, [writes]);
  const changed = next !== loop.state;
  loop.state = next;
  if (changed && loop.streams.values) loop.emit("values", next);
  // A Command as input writes its update and goes only where its goto says (START does not run).
  const start: Exits = isCommand(input) ? { edges: [], joins: [], branches: [] } : loop.plan.start;
  const finish = () => {
    loop.tasks = loop.planNext([{ name: START, node: start, routes: routes.routes }]);
    if (loop.store) saveCheckpoint(loop, "loop", undefined);
    loop.step++;
  };
  if (start.branches.length === 0) return finish();
  const routed = runBranches(loop, start, loop.state, { ...loop.run.baseNodeConfig, writer: loop.writer, signal: loop.run.signal }, routes);
  if (routed) return routed.then(finish);
  finish();
}

/** True when `latest` (the thread's newest checkpoint) is the one asked for and the run made it (LangGraph.js's resume-at-head). */
function isResumableHead(latest: CheckpointTuple | undefined, wanted: string | undefined): boolean {
  if (wanted === undefined || latest === undefined) return false;
  const source = latest.metadata?.source;
  return latest.config.configurable?.checkpoint_id === wanted && source !== "update" && source !== "fork";
}
