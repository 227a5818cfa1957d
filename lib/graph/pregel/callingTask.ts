// Which running task calls a graph's invoke() or stream() without a thread of its own: LangGraph.js then
// runs the graph with the caller's config (its thread, under the calling task's namespace; see compiledGraph.ts).
import type { RunConfig } from "../runConfig";
import { getTaskContext, TASK_CONTEXT } from "../taskContext";
import { currentTask } from "./currentTask";
import { Task } from "./task";

/** The graph task whose node is running: its synchronous part (always known), else the async context (when entered). */
export function runningTask(): Task | undefined {
  const current = currentTask();
  const context = current instanceof Task ? current : getTaskContext();
  return context instanceof Task && !context.finished && context.error === undefined ? context : undefined;
}

/** The task whose node is calling, when `config` names no thread of its own. */
export function callingTask(config: RunConfig): Task | undefined {
  if (TASK_CONTEXT in config || config.configurable?.thread_id !== undefined) return undefined;
  return runningTask();
}
