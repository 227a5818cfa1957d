// A node's `errorHandler` (or the graph's default, setNodeDefaults): when the node failed for good
// (its retries exhausted), the handler runs in the same step as a task of its own node
// (`__error_handler__<node>` / `__default_error_handler__`), gets the failed task's input, a NodeError
// and the config, and its return value (an update or a Command) is applied as that node's. The failure
// does not fail the run; a failing handler does. Interrupts and drains are never handled.
import { PUSH } from "../constants";
import type { PregelLoop } from "../pregel/loop";
import type { PlanNode } from "../pregel/plan";
import { Task, type TaskPath } from "../pregel/task";
import { executeTask } from "../pregel/execute";
import { TASK_CONTEXT } from "../taskContext";
import { NodeError } from "./errors";

const HANDLER_TRIGGERS = Object.freeze([PUSH]) as unknown as string[];

export function runErrorHandler(loop: PregelLoop, failedTask: Task, handler: PlanNode, error: unknown): Promise<void> | undefined {
  const path = [PUSH, failedTask.name, handler.name, false] as unknown as TaskPath;
  const task = new Task(loop, null, handler, path, HANDLER_TRIGGERS, failedTask.input, false, failedTask.step);
  // Both tasks keep it: the handler reads it, and the failed task's edges are not followed (loop.commitStep).
  task.nodeError = failedTask.nodeError = new NodeError(failedTask.name, error instanceof Error ? error : new Error(String(error)));
  // As LangGraph.js streams it: the handler's start, then the failure, then the handler's result.
  loop.addHandlerTask(task);
  loop.taskHandled(failedTask, error);
  return executeTask(loop, task);
}

/** The node function of a handler: `handler(state, nodeError, config)`, the NodeError read from the task. */
export function handlerNodeFunction(handler: NodeErrorHandler): (state: unknown, config: { [TASK_CONTEXT]: unknown }) => unknown {
  return (state, config) => handler(state, (config?.[TASK_CONTEXT] as Task | undefined)?.nodeError as NodeError, config);
}

export type NodeErrorHandler<S = any, U = any> = (state: S, error: NodeError, config: any) => U | Promise<U>;
