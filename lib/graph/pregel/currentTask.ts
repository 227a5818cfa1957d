// Which task is running right now, for `interrupt()`. A synchronous pointer covers the synchronous part
// of a node (and is nearly free); after an `await`, interrupt() falls back to the AsyncLocalStorage
// task context, which runs with a checkpointer are given (see PregelLoop.useContext).
import { getTaskContext } from "../taskContext";

export interface InterruptibleTask {
  interrupt(value: unknown): unknown;
}

let current: InterruptibleTask | null = null;

export function enterTask(task: InterruptibleTask | null): InterruptibleTask | null {
  const previous = current;
  current = task;
  return previous;
}

export function currentTask(): InterruptibleTask | null {
  if (current !== null) return current;
  const context = getTaskContext() as { task?: InterruptibleTask } | undefined;
  return context?.task ?? null;
}

let taskLookups = false;

/** getConfig() & co. were called: from now on every run makes its tasks findable after an `await`. */
export function noteTaskLookups(): void {
  taskLookups = true;
}

export function taskLookupsUsed(): boolean {
  return taskLookups;
}
