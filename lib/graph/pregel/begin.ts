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
import { ThreadStore } from "./threadStore";

/** Loads the thread's checkpoint (if any) and applies the input: a new input, null (continue) or a Command (resume). */
export function beginLoop(loop: PregelLoop, input: unknown): void | Promise<void> {
  const store = loop.store;
  if (store === undefined) return beginWith(loop, undefined, input, false);
  if (loop.parentTask !== undefined) {
    const stableNs = stableNamespace(loop.checkpointNs);
    // Named by its exact namespace, as LangGraph.js matches checkpoint_map: a persistent subgraph's ("<node>")
    // matches again; one whose namespace has a task id runs afresh in a forked parent (new task ids).
    const target = loop.run.subgraphTargets?.get(loop.checkpointNs);
    if (target !== undefined) {
      loop.run.subgraphTargets!.delete(loop.checkpointNs);
      loop.timeTravelTarget = true;
      return then(store.load(target), (tuple) => beginWith(loop, tuple, input, false));
    }
    const replayBefore = replayCursor(loop, stableNs);
    return then(replayBefore === undefined ? store.load(undefined) : store.loadBefore(replayBefore), (tuple) => beginWith(loop, tuple, input, false));
  }
  const configurable = loop.run.config.configurable;
  const ns = configurable?.checkpoint_ns;
  const subgraphCheckpoint = configurable?.checkpoint_id as string | undefined;
  // (A loop started in a subgraph's own namespace — compiledGraph.rootLoop — loads that checkpoint itself.)
  if (typeof ns !== "string" || ns === "" || ns === loop.checkpointNs || subgraphCheckpoint === undefined) return beginRoot(loop, subgraphCheckpoint, input);
  // A subgraph's checkpoint (its config from getState or history): the parent replays the checkpoint it
  // was made under, and each subgraph named in checkpoint_map loads its own checkpoint (LangGraph.js's rule).
  // A resume given with such a config resumes the parent checkpoint, its subgraphs at their latest.
  const map = (configurable?.checkpoint_map ?? {}) as Record<string, string>;
  if (!(isCommand(input) && input.resume !== undefined)) {
    const targets = new Map<string, string>();
    for (const [key, id] of Object.entries(map)) if (key !== "") targets.set(key, id);
    targets.set(ns, subgraphCheckpoint);
    loop.run.subgraphTargets = targets;
  }
  if (map[""] !== undefined) return beginRoot(loop, map[""], input);
  const subStore = new ThreadStore(store.saver, store.threadId, ns, loop.run.sync, store.runConfigurable);
  return then(subStore.load(subgraphCheckpoint), (tuple) => {
    const parentId = tuple?.metadata?.parents?.[""];
    if (parentId === undefined) throw new EmptyInputError(`No checkpoint "${subgraphCheckpoint}" in namespace "${ns}" of thread "${store.threadId}" (or it names no parent checkpoint)`);
    return beginRoot(loop, parentId, input);
  });
}

/** The root graph's load: the thread's head, or the checkpoint asked for (resume at it, or time travel). */
function beginRoot(loop: PregelLoop, checkpointId: string | undefined, input: unknown): void | Promise<void> {
  const store = loop.store!;
  loop.requestedCheckpointId = checkpointId;
  const loaded = store.load(checkpointId);
  // With a checkpoint_id, is it the thread's head (a plain resume) or an earlier one (time travel)?
  const head = checkpointId === undefined ? undefined : store.load(undefined);
  if (loaded instanceof Promise || head instanceof Promise) {
    return Promise.all([loaded, head]).then(([tuple, latest]) => beginWith(loop, tuple, input, isResumableHead(latest, checkpointId)));
  }
  return beginWith(loop, loaded, input, isResumableHead(head, checkpointId));
}

/** A subgraph's first load in a time-travelling run: the parent checkpoint its state must predate. */
function replayCursor(loop: PregelLoop, stableNs: string): string | undefined {
  const replay = loop.run.replay;
  if (replay === null) return undefined;
  if (replay.visited.has(stableNs)) return undefined;
  replay.visited.add(stableNs);
  return replay.before;
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
  const resuming = resumedByParent || loop.timeTravelTarget || input === null || input === undefined || resumeCommand;
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
    // A subgraph restarted at the checkpoint the config named is time travel too.
    const timeTravel = loop.timeTravelTarget || (!loop.parentTask && loop.requestedCheckpointId !== undefined && !resumeCommand && !atHead);
    const source = tuple.metadata?.source;
    const fork = timeTravel && source !== "update" && source !== "fork";
    if (timeTravel && !loop.parentTask) {
      // Subgraphs load their state as of the checkpoint replayed (its parent, for an update or fork checkpoint).
      const replayed = fork ? tuple.config : (tuple.parentConfig ?? tuple.config);
      loop.run.replay = { before: replayed.configurable?.checkpoint_id as string, visited: new Set() };
    }
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
  const direct = loop.plan.directInput === true;
  // (directInput: no __start__ step, so the first nodes run one step earlier.)
  loop.stop = inputStep + loop.run.recursionLimit + (direct ? 0 : 1);
  loop.state = previous;
  loop.checkpointConfig = tuple?.config;
  if (saved) for (const [channel, seen] of Object.entries(saved.barriers)) loop.barriers.set(channel, new Set(seen));
  // (durability "exit" saves neither the input checkpoint nor its writes: only where the run ends.)
  const startTask: SavedTask | undefined = loop.store && loop.run.durability !== "exit" && !direct ? { id: loop.run.ids.next(), name: START, path: [PULL, START], triggers: [START] } : undefined;
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
    if (channels.inputDefaults !== null) channels.addInputDefaults(input as StateValues, writes, inputKeys);
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
    if (direct) {
      // The input checkpoint holds the input's values and the nodes it triggers, which run at the next step.
      loop.step = inputStep;
      loop.tasks = loop.planNext([{ name: START, node: start, routes: routes.routes }]);
      if (loop.store) saveCheckpoint(loop, "input", undefined);
      loop.step = inputStep + 1;
      return;
    }
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

/** A checkpoint namespace without its task ids ("a:1|b:2" -> "a|b"): the same subgraph across runs and forks. */
function stableNamespace(ns: string): string {
  return ns.replace(/:[^|]*/g, "");
}

function then<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
