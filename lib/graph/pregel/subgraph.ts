// A compiled graph used as a node: it runs as a child loop inside the parent's task, sharing the run
// (ids, sink, signal). Its chunks carry the namespace ["<node>:<taskId>"] and reach the consumer with
// `subgraphs: true` (custom and messages always). Its input is the parent's state restricted to its
// own keys; its final state is the task's update (restricted to the parent's keys by collectWrites).
import { GraphInterrupt } from "../errors";
import { driveAsync, driveSync } from "./drive";
import { PregelLoop } from "./loop";
import type { Task } from "./task";
import { ThreadStore } from "./threadStore";

export function runSubgraph(parent: PregelLoop, task: Task): unknown {
  const plan = task.node.subgraph!.plan;
  const run = parent.run;
  const checkpointNs = task.checkpointNs;
  const saver = plan.checkpointer ?? parent.store?.saver;
  const store = saver && parent.store ? new ThreadStore(saver, parent.store.threadId, checkpointNs, run.sync) : undefined;
  const child = new PregelLoop({
    run,
    plan,
    ns: [...parent.ns, checkpointNs.slice(checkpointNs.lastIndexOf("|") + 1)],
    checkpointNs,
    streams: run.sink.nested,
    store,
    parentTask: task,
  });
  const input = task.resumedNow ? null : plan.channels.pick(task.input as Record<string, unknown>);
  const result = () => {
    if (child.status === "interrupted") throw new GraphInterrupt(child.interrupts);
    return child.state;
  };
  if (run.sync) {
    driveSync(child, input);
    return result();
  }
  return driveAsync(child, input).then(result);
}
