// One attempt of a task whose node (or Send) has a `timeout`. The node gets a signal of its own
// (the run's, plus this attempt's deadline) and `config.heartbeat()`; a watchdog timer fails the
// attempt with NodeTimeoutError once `runTimeout` passed or `idleTimeout` passed without progress.
// The abandoned attempt's late result (or rejection) is ignored; a synchronous node that blocked past
// `runTimeout` (the timer could not fire) fails the same way when it returns. The retry policy then
// decides, as for any failure.
import type { PregelLoop } from "../pregel/loop";
import type { Task } from "../pregel/task";
import { callNode, completed, failed, isPromiseLike } from "../pregel/execute";
import { NodeTimeoutError } from "./errors";
import type { TimeoutPolicy } from "./timeoutPolicy";

function ignore(): void {}

export function runTimed(loop: PregelLoop, task: Task, policy: TimeoutPolicy): Promise<void> | undefined {
  const run = loop.run;
  const started = Date.now();
  let lastProgress = started;
  const attempt = new AbortController();
  const config = task.config;
  config.signal = AbortSignal.any([run.signal, attempt.signal]);
  const progress = (): void => {
    lastProgress = Date.now();
  };
  config.heartbeat = progress;
  if (policy.refreshOn !== "heartbeat" && policy.idleTimeout !== undefined) {
    const write = loop.writer;
    config.writer = (chunk: unknown) => {
      lastProgress = Date.now();
      write(chunk);
    };
  }
  const timeoutError = (kind: "run" | "idle"): NodeTimeoutError =>
    new NodeTimeoutError({ node: task.name, elapsed: Date.now() - started, kind, runTimeout: policy.runTimeout, idleTimeout: policy.idleTimeout });
  const overRun = (): boolean => policy.runTimeout !== undefined && Date.now() - started > policy.runTimeout;

  let output: unknown;
  try {
    output = callNode(loop, task);
  } catch (error) {
    return failed(loop, task, overRun() ? timeoutError("run") : error);
  }
  if (!isPromiseLike(output)) return overRun() ? failed(loop, task, timeoutError("run")) : completed(loop, task, output);
  if (run.sync) {
    output.then(ignore, ignore);
    task.error = new Error(`Node "${task.name}" is asynchronous (it returned a Promise); streamSync can only run synchronous nodes. Use stream() instead.`);
    loop.taskDone(task, undefined);
    return undefined;
  }
  return new Promise<void>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (next: () => Promise<void> | undefined): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      resolve(next());
    };
    const watch = (): void => {
      const now = Date.now();
      const runLeft = policy.runTimeout === undefined ? Infinity : started + policy.runTimeout - now;
      const idleLeft = policy.idleTimeout === undefined ? Infinity : lastProgress + policy.idleTimeout - now;
      if (runLeft <= 0 || idleLeft <= 0) {
        const error = timeoutError(runLeft <= 0 ? "run" : "idle");
        settle(() => failed(loop, task, error));
        attempt.abort(error);
        return;
      }
      timer = setTimeout(watch, Math.min(runLeft, idleLeft));
    };
    watch();
    (output as PromiseLike<unknown>).then(
      (value) => settle(() => (overRun() ? failed(loop, task, timeoutError("run")) : completed(loop, task, value))),
      (error) => settle(() => failed(loop, task, error)),
    );
  });
}
