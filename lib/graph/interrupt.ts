// `interrupt(value)`: pause the run inside a node and ask the caller for a value. The first call
// stops the run (the stream ends with `{ __interrupt__: [{ id, value }] }`); resuming the thread with
// `new Command({ resume })` re-runs the node, and this call then returns the resume value.
import { INTERRUPT } from "./constants";
import { GraphValueError } from "./errors";
import { currentTask } from "./pregel/currentTask";

export function interrupt<Value = unknown, Resume = any>(value: Value): Resume {
  const task = currentTask();
  if (task === null) {
    throw new GraphValueError("No checkpointer set", { lc_error_code: "MISSING_CHECKPOINTER" });
  }
  return task.interrupt(value) as Resume;
}

/** True when a run's result (or a "values" chunk) reports interrupts: `{ __interrupt__: [...] }`. */
export function isInterrupted<Value = unknown>(values: unknown): values is { [INTERRUPT]: Array<{ id?: string; value?: Value }> } {
  if (!values || typeof values !== "object") return false;
  return Array.isArray((values as Record<string, unknown>)[INTERRUPT]);
}
