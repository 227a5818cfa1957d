// Running a step's tasks: all at once (their order of starting is the plan's), or at most
// `maxConcurrency` at a time. Synchronous tasks finish inside the call; the step waits only for the rest.
import type { PregelLoop } from "./loop";
import { recordTaskResult } from "./taskResults";
import type { Task } from "./task";

function noop(): void {}

/** Runs the step's tasks; undefined when all of them finished synchronously. Never rejects. */
export function runStepTasks(loop: PregelLoop, execute: (loop: PregelLoop, task: Task) => Promise<void> | undefined): Promise<void> | undefined {
  const tasks = loop.tasks;
  if (tasks.length === 1) return tasks[0].restored ? undefined : execute(loop, tasks[0]);
  const limit = loop.run.maxConcurrency;
  if (limit !== 0 && tasks.length > limit) return runLimited(loop, tasks, limit, execute);
  let pending: Array<Promise<void>> | null = null;
  // LangGraph.js reports a step's synchronous interrupts and failures before its synchronous
  // successes (a throwing task settles a few microtasks sooner there); hold successes until every
  // task of the step has started, to stream the same order.
  const deferred: Task[] = (loop.heldSuccesses = []);
  try {
    for (const task of tasks) {
      if (task.restored) continue;
      const running = execute(loop, task);
      if (running !== undefined) (pending ??= []).push(running);
    }
  } finally {
    loop.heldSuccesses = null;
  }
  if (loop.failAfterStart !== null) {
    loop.run.fail(loop.failAfterStart.error);
    loop.failAfterStart = null;
  }
  for (let i = 0; i < deferred.length; i++) {
    const task = deferred[i];
    const output = task.output;
    task.output = undefined;
    recordTaskResult(loop, task, output);
  }
  if (pending === null) return undefined;
  return pending.length === 1 ? pending[0] : Promise.all(pending).then(noop);
}

/**
 * `config.maxConcurrency`: at most `limit` of the step's tasks run at once; each one that settles starts
 * the next, in plan order. Tasks finishing synchronously free their slot at once.
 */
function runLimited(loop: PregelLoop, tasks: readonly Task[], limit: number, execute: (loop: PregelLoop, task: Task) => Promise<void> | undefined): Promise<void> | undefined {
  let next = 0;
  let running = 0;
  let settle: (() => void) | null = null;
  const startMore = (): void => {
    while (running < limit && next < tasks.length) {
      const task = tasks[next++];
      if (task.restored) continue;
      const pending = execute(loop, task);
      if (pending === undefined) continue;
      running++;
      void pending.then(() => {
        running--;
        startMore();
        if (running === 0 && next >= tasks.length) settle?.();
      });
    }
  };
  startMore();
  if (running === 0) return undefined;
  return new Promise<void>((resolve) => (settle = resolve));
}

