// A compiled graph used as a node: it runs as a child loop inside the parent's task, sharing the run
// (ids, sink, signal). Its chunks carry the namespace ["<node>:<taskId>"] and reach the consumer with
// `subgraphs: true` (custom and messages always). Its input is the parent's state restricted to its
// own keys; its final state is the task's update (restricted to the parent's keys by collectWrites).
import { GraphInterrupt } from "../errors";
import { driveAsync, driveSync } from "./drive";
import { PregelLoop } from "./loop";
import { pickKeys } from "./pickKeys";
import type { GraphPlan } from "./plan";
import type { Task } from "./task";
import { ThreadStore } from "./threadStore";

export function runSubgraph(parent: PregelLoop, task: Task): unknown {
  const plan = task.node.subgraph!.plan;
  return runChildGraph(plan, task, plan.channels.pick(task.input as Record<string, unknown>));
}

/**
 * Runs `plan` inside `task` (a subgraph node, or a compiled graph a node invokes with its config):
 * its chunks stream under the task's namespace, it checkpoints under it when the run checkpoints, and
 * its interrupts interrupt the task. Returns the child's final state (or a promise of it).
 */
/**
 * Runs `plan` as `task`'s subgraph. `configurable`: keys a node's own `invoke(input, { configurable })` passed
 * (without a thread of its own), laid over the caller's for the subgraph's nodes, as LangGraph.js merges them.
 */
export function runChildGraph(plan: GraphPlan, task: Task, input: unknown, configurable?: Record<string, unknown>): unknown {
  const parent = task.loop;
  const run = parent.run;
  // A persistent subgraph (checkpointer: true) lives under `<node>` (no task id), so each call continues its state.
  const checkpointNs = plan.persistent ? (parent.checkpointNs === "" ? task.node.name : `${parent.checkpointNs}|${task.node.name}`) : task.checkpointNs;
  const saver = plan.checkpointer ?? parent.store?.saver;
  const store = saver && parent.store ? new ThreadStore(saver, parent.store.threadId, checkpointNs, run.sync, parent.store.runConfigurable) : undefined;
  const child = new PregelLoop({
    run,
    plan,
    ns: [...parent.ns, checkpointNs.slice(checkpointNs.lastIndexOf("|") + 1)],
    checkpointNs,
    streams: run.sink.nested,
    store,
    parentTask: task,
    configurable: configurable === undefined ? undefined : { ...parent.configurable, ...configurable },
  });
  const result = () => {
    if (child.status === "interrupted") throw new GraphInterrupt(child.interrupts);
    return plan.outputKeys === null ? child.state : pickKeys(child.state, plan.outputKeys);
  };
  if (run.sync) {
    driveSync(child, input);
    return result();
  }
  return driveAsync(child, input).then(result);
}
