// updateState / bulkUpdateState: values written as if a node returned them, in one "update" checkpoint,
// with what follows that node scheduled; `asNode: "__copy__"` copies a checkpoint as a fork (given
// `[[values, asNode], ...]`, with those as the fork's task results), and `asNode: "__input__"` records values
// as a run's input.
import { isCommand } from "../command";
import { COPY, END, PULL, START } from "../constants";
import type { Send } from "../send";
import { InvalidUpdateError } from "../errors";
import type { Write } from "../channels/stateChannels";
import type { CheckpointConfig, CheckpointTuple } from "../checkpoint/base";
import { readCheckpoint, type SavedTask } from "../checkpoint/checkpointFields";
import type { StateValues } from "../types";
import { runBranches } from "./branches";
import { saveCheckpoint, WRITES } from "./checkpointing";
import type { PregelLoop } from "./loop";
import type { Exits } from "./plan";
import { RouteList, releaseDeferredTasks } from "./planning";

/** `updateState(config, values, INPUT)`: record `values` as a run's input. */
const INPUT = "__input__";

/**
 * One superstep of updates (bulkUpdateState): each `values` written as if its `asNode` returned it, all
 * in one checkpoint; what follows every one of those nodes is scheduled. Several need their `asNode`.
 */
export function applyUpdates(loop: PregelLoop, tuple: CheckpointTuple | undefined, updates: ReadonlyArray<{ values: StateValues | null; asNode: string | undefined }>): CheckpointConfig | Promise<CheckpointConfig> {
  const channels = loop.plan.channels;
  const saved = tuple ? readCheckpoint(tuple.checkpoint) : undefined;
  loop.state = saved ? saved.state : channels.initialState();
  loop.checkpointConfig = tuple?.config;
  loop.lastNode = saved?.lastNode;
  if (saved) for (const [channel, seen] of Object.entries(saved.barriers)) loop.barriers.set(channel, new Set(seen));
  if (updates.length === 0) throw new InvalidUpdateError("No supersteps provided");
  if (updates.length === 1 && updates[0].asNode === COPY) return copyCheckpoint(loop, tuple, updates[0].values);
  if (updates.length === 1 && updates[0].asNode === INPUT) return saveInput(loop, tuple, updates[0].values);
  loop.step = tuple ? (tuple.metadata?.step ?? -1) + 1 : 0;
  return applySuperstep(loop, updateSources(loop, updates));
}

interface UpdateSource {
  name: string;
  exits: Exits | undefined;
  routes: RouteList;
  writes: Write[];
}

/** What each update writes and where its node goes next. */
function updateSources(loop: PregelLoop, updates: ReadonlyArray<{ values: StateValues | null; asNode: string | undefined }>): UpdateSource[] {
  const channels = loop.plan.channels;
  const sources: UpdateSource[] = [];
  for (const { values, asNode } of updates) {
    if (updates.length > 1 && asNode == null) throw new InvalidUpdateError('"asNode" is required when applying multiple updates');
    let node = asNode ?? loop.lastNode;
    // No node has written yet: the update is made as the input (LangGraph.js infers __start__ the same way,
    // also for a graph of one node: its __start__ counts as a node there).
    if (node === undefined) node = START;
    const exits: Exits | undefined = node === START ? loop.plan.start : node === END ? undefined : loop.plan.nodes.get(node);
    if (node !== END && exits === undefined) throw new InvalidUpdateError(`Node "${node}" does not exist`);
    const writes: Write[] = [];
    const routes = new RouteList();
    if (isCommand(values)) {
      // A Command as the node's return value: its update is written and its gotos are where the node goes.
      for (const entry of values.updateEntries()) if (channels.has(entry[0])) writes.push(entry);
      for (const dest of values.goto) if (dest !== END) routes.addRoute(dest as string | Send);
    } else if (values !== null && typeof values === "object") {
      for (const key of Object.keys(values)) if (channels.has(key)) writes.push([key, values[key]]);
    }
    if (channels.validators !== null) channels.validate(writes);
    sources.push({ name: node, exits, routes, writes });
  }
  return sources;
}

/** The updates' checkpoint (at `loop.step`, child of `loop.checkpointConfig`), with what follows their nodes scheduled. */
function applySuperstep(loop: PregelLoop, sources: UpdateSource[]): CheckpointConfig | Promise<CheckpointConfig> {
  loop.state = loop.plan.channels.apply(loop.state, sources.map((source) => source.writes));
  for (const { name } of sources) if (name !== START && name !== END) loop.lastNode = name;
  const finish = (): CheckpointConfig => {
    const planned = sources.filter((source) => source.exits !== undefined).map((source) => ({ name: source.name, node: source.exits!, routes: source.routes.routes }));
    loop.tasks = planned.length > 0 ? loop.planNext(planned) : [];
    // Deferred nodes still waiting run next when nothing else will (the update is their step's end too).
    if (loop.tasks.length === 0 && loop.plan.hasDeferred) loop.tasks = releaseDeferredTasks(loop, loop.barriers);
    saveCheckpoint(loop, "update", undefined);
    return loop.checkpointConfig!;
  };
  let pending: Promise<void> | undefined;
  for (const source of sources) {
    if (!source.exits || source.exits.branches.length === 0) continue;
    const config = { ...loop.run.baseNodeConfig, writer: loop.writer, signal: loop.run.signal };
    const exits = source.exits;
    pending = pending ? pending.then(() => runBranches(loop, exits, loop.state, config, source.routes)) : runBranches(loop, exits, loop.state, config, source.routes);
  }
  return pending ? pending.then(finish) : finish();
}


/** updateState(config, values, "__input__"): a run's input checkpoint (next: __start__, the values its pending writes), as a run starts. */
function saveInput(loop: PregelLoop, tuple: CheckpointTuple | undefined, values: StateValues | null): CheckpointConfig {
  const channels = loop.plan.channels;
  const writes: Write[] = [];
  if (values !== null && typeof values === "object") for (const key of Object.keys(values)) if (channels.has(key)) writes.push([key, values[key]]);
  if (channels.validators !== null) channels.validate(writes);
  loop.step = tuple ? (tuple.metadata?.step ?? -1) + 1 : -1;
  const startTask: SavedTask = { id: loop.run.ids.next(), name: START, path: [PULL, START], triggers: [START] };
  saveCheckpoint(loop, "input", [startTask]);
  loop.store!.putWrites(loop.checkpointConfig!, [[WRITES, writes]], startTask.id);
  return loop.checkpointConfig!;
}

/**
 * updateState(config, null, "__copy__"): the checkpoint again, as a "fork" beside it (same parent, same next tasks).
 * With `[[values, asNode], ...]` instead of null, those are the fork's task results: each the result of the
 * fork's next `asNode` task (in order, shown in its history), all applied in one update checkpoint after it.
 */
function copyCheckpoint(loop: PregelLoop, tuple: CheckpointTuple | undefined, values: unknown): CheckpointConfig | Promise<CheckpointConfig> {
  if (tuple === undefined) throw new InvalidUpdateError("Cannot copy a non-existent checkpoint");
  loop.checkpointConfig = tuple.parentConfig;
  loop.step = (tuple.metadata?.step ?? -1) + 1;
  const forkTasks = readCheckpoint(tuple.checkpoint).nextTasks.map((t) => ({ ...t, id: loop.run.ids.next() }));
  saveCheckpoint(loop, "fork", forkTasks);
  if (!isTaskResults(values)) return loop.checkpointConfig!;
  const sources = updateSources(loop, values.map(([taskValues, asNode]) => ({ values: taskValues, asNode })));
  const taken = new Map<string, number>();
  for (const source of sources) {
    const nth = taken.get(source.name) ?? 0;
    taken.set(source.name, nth + 1);
    const task = forkTasks.filter((t) => t.name === source.name)[nth];
    if (task !== undefined) loop.store!.putWrites(loop.checkpointConfig!, [[WRITES, source.writes]], task.id);
  }
  loop.step += 1;
  return applySuperstep(loop, sources);
}

function isTaskResults(values: unknown): values is Array<[StateValues | null, string]> {
  return Array.isArray(values) && values.length > 0 && values.every((v) => Array.isArray(v) && v.length === 2 && typeof v[1] === "string");
}
