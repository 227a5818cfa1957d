// updateState / bulkUpdateState: values written as if a node returned them, in one "update" checkpoint,
// with what follows that node scheduled; `asNode: "__copy__"` copies a checkpoint as a fork, and
// `asNode: "__input__"` records values as a run's input.
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
  if (updates.length === 1 && updates[0].asNode === COPY) return copyCheckpoint(loop, tuple);
  if (updates.length === 1 && updates[0].asNode === INPUT) return saveInput(loop, tuple, updates[0].values);
  const sources: Array<{ name: string; exits: Exits | undefined; routes: RouteList; writes: Write[] }> = [];
  for (const { values, asNode } of updates) {
    if (updates.length > 1 && asNode == null) throw new InvalidUpdateError('"asNode" is required when applying multiple updates');
    let node = asNode ?? loop.lastNode;
    if (node === undefined) {
      if (loop.plan.nodeList.length === 1) node = loop.plan.nodeList[0].name;
      // No node has written yet: the update is made as the input (LangGraph.js infers __start__ the same way).
      else node = START;
    }
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
  loop.state = channels.apply(loop.state, sources.map((source) => source.writes));
  loop.step = tuple ? (tuple.metadata?.step ?? -1) + 1 : 0;
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

/** updateState(config, null, "__copy__"): the checkpoint again, as a "fork" beside it (same parent, same next tasks). */
function copyCheckpoint(loop: PregelLoop, tuple: CheckpointTuple | undefined): CheckpointConfig {
  if (tuple === undefined) throw new InvalidUpdateError("Cannot copy a non-existent checkpoint");
  loop.checkpointConfig = tuple.parentConfig;
  loop.step = (tuple.metadata?.step ?? -1) + 1;
  saveCheckpoint(loop, "fork", readCheckpoint(tuple.checkpoint).nextTasks.map((t) => ({ ...t, id: loop.run.ids.next() })));
  return loop.checkpointConfig!;
}
