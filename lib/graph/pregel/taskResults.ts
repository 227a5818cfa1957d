// A task's end: its result (writes, interrupt, or error) is recorded on the step and streamed ("updates",
// "tasks", "debug", "messages") in completion order, with LangGraph.js's rules for a step where several
// tasks fail (the first error is thrown; those that failed after the abort report an AbortError).
import { INTERRUPT } from "../constants";
import { ParentCommand } from "../errors";
import type { TaskResultPayload } from "../types";
import { announceResult } from "./debugPayloads";
import type { PregelLoop } from "./loop";
import { emitOutputMessages } from "./messageScan";
import { NO_WRITES, type Task } from "./task";

/** Records a finished task and streams its result (in completion order). */
export function recordTaskResult(loop: PregelLoop, task: Task, output: unknown): void {
  const streams = loop.streams;
  if (loop.heldSuccesses !== null && task.error === undefined && task.interrupts === null) {
    task.output = output;
    loop.heldSuccesses.push(task);
    return;
  }
  if (task.error !== undefined) {
    // LangGraph.js's rule: a task failing after another's failure aborted the step failed because of
    // it; it is reported as aborted and the step throws the first error. Failures while the step's
    // tasks are still being started are all independent (and the abort waits until all started).
    const starting = loop.heldSuccesses !== null;
    if (!starting && loop.failures.length > 0 && loop.run.signal.aborted) task.error = abortedByFailure();
    else loop.failures.push(task.error);
    // A Command for the parent graph is not a failure: it ends this subgraph (shown as LangGraph.js shows it).
    if (!(task.error instanceof ParentCommand)) {
      if (starting) loop.failAfterStart ??= { error: task.error };
      else loop.run.fail(task.error);
    }
    // Writes collected before the failure (a conditional edge that threw) are still streamed, as in LangGraph.js.
    if (task.writes.length > 0 && streams.updates) loop.emit("updates", { [task.name]: task.updatesValue() });
    if (streams.tasks || streams.debug) {
      const error = task.error as { name?: unknown; message?: unknown };
      announceResult(loop, {
        id: task.id,
        name: task.name,
        result: {},
        interrupts: [],
        error: { message: String(error?.message ?? error), name: String(error?.name ?? "Error") },
      } as TaskResultPayload);
    }
    return;
  }
  if (task.interrupts !== null) {
    // A subgraph stopped at a static breakpoint is reported once, by the root graph when the step ends
    // (after the values of the tasks that finished, as LangGraph.js does: commitStep).
    const quiet = task.interrupts.length === 0;
    const chunk = { [INTERRUPT]: task.interrupts };
    if (streams.updates && !quiet) loop.emit("updates", chunk);
    if (streams.values && !quiet) loop.emit("values", chunk);
    if (streams.tasks || streams.debug) {
      announceResult(loop, { id: task.id, name: task.name, result: {}, interrupts: task.interrupts, error: null } as TaskResultPayload);
    }
    return;
  }
  if (loop.run.nodeFinished !== null) loop.run.nodeFinished(task.name);
  if (streams.messages) emitOutputMessages(task, output);
  if (streams.updates || streams.tasks || streams.debug) {
    if (streams.updates) loop.emit("updates", task.cached ? { [task.name]: task.updatesValue(), __metadata__: { cached: true } } : { [task.name]: task.updatesValue() });
    // A task served from the node cache shows no result, as in LangGraph.js.
    if ((streams.tasks || streams.debug) && !task.cached) {
      announceResult(loop, { id: task.id, name: task.name, result: task.resultObject(), interrupts: [], error: null } as TaskResultPayload);
    }
  }
}

/** A task failed for good and its error handler takes over: the failure is shown, not raised. */
export function recordHandledFailure(loop: PregelLoop, task: Task, error: unknown): void {
  task.finished = true;
  task.writes = NO_WRITES;
  if (loop.streams.tasks || loop.streams.debug) {
    const failure = error as { name?: unknown; message?: unknown };
    announceResult(loop, {
      id: task.id,
      name: task.name,
      result: {},
      interrupts: [],
      error: { message: String(failure?.message ?? failure), name: String(failure?.name ?? "Error") },
    } as TaskResultPayload);
  }
}

/** What a task that failed because the step was aborted reports (LangGraph.js's AbortError). */
function abortedByFailure(): Error {
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}
