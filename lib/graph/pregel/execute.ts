// Running one task: call the node (or the subgraph), collect its writes, run its conditional edges,
// retry on failure, and report the result to the loop. Synchronous nodes complete without any
// promise; a promise is awaited only when a node returns one.
import { Command, type CommandParams } from "../command";
import { ParentCommand, isGraphInterrupt } from "../errors";
import { retryDelay, shouldRetry, sleep } from "../retry";
import { runWithLangChainConfig } from "../langchain/langchainContext";
import { endTaskTrace, traceBranches } from "../langchain/runTracing";
import { runWithTaskContext } from "../taskContext";
import { enterTask } from "./currentTask";
import type { PregelLoop } from "./loop";
import { runSubgraph } from "./subgraph";
import { NO_ROUTES, NO_WRITES, type Task } from "./task";
import { runCached } from "../nodeOptions/cachedRun";
import { runErrorHandler } from "../nodeOptions/errorHandler";
import { isGraphDrained } from "../nodeOptions/errors";
import { runTimed } from "../nodeOptions/timedRun";

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

function ignore(): void {}

export function callNode(loop: PregelLoop, task: Task): unknown {
  const node = task.node;
  const previous = enterTask(task);
  try {
    if (node.subgraph !== null) return runSubgraph(loop, task);
    const fn = node.fn!;
    if (loop.run.useContext) {
      // A LangChain model called without the config still finds it (and streams its tokens) in "messages" runs.
      // Every task of such a run enters it, so a subgraph's task (whose tokens are not streamed without
      // `subgraphs: true`) hides the config of the parent task it runs in.
      if (loop.run.sink.root.messages) return runWithTaskContext(task, () => runWithLangChainConfig(task.config, () => fn(task.input, task.config)));
      return runWithTaskContext(task, () => fn(task.input, task.config));
    }
    return fn(task.input, task.config);
  } finally {
    enterTask(previous);
  }
}

/** Runs `task`; undefined when it finished synchronously. Never rejects: failures are recorded on the task. */
export function executeTask(loop: PregelLoop, task: Task): Promise<void> | undefined {
  const tracing = loop.run.tracing;
  if (tracing !== null) return tracing.traceTask(loop, task, runTask);
  return runTask(loop, task);
}

function runTask(loop: PregelLoop, task: Task): Promise<void> | undefined {
  const node = task.node;
  // Node options (nodeOptions/): each costs one property test per task when unused.
  if (node.cachePolicy !== undefined && loop.plan.cache !== undefined) return runCached(loop, task, node.cachePolicy, loop.plan.cache);
  return executeAttempt(loop, task);
}

/** One attempt of `task` (retries run it again). */
export function executeAttempt(loop: PregelLoop, task: Task): Promise<void> | undefined {
  const timeout = task.timeout ?? task.node.timeout;
  if (timeout !== undefined) return runTimed(loop, task, timeout);
  let output: unknown;
  try {
    output = callNode(loop, task);
  } catch (error) {
    return failed(loop, task, error);
  }
  if (isPromiseLike(output)) {
    if (loop.run.sync) {
      output.then(ignore, ignore);
      task.error = new Error(`Node "${task.name}" is asynchronous (it returned a Promise); streamSync can only run synchronous nodes. Use stream() instead.`);
      loop.taskDone(task, undefined);
      return undefined;
    }
    return Promise.resolve(output).then(
      (value) => completed(loop, task, value),
      (error) => failed(loop, task, error),
    );
  }
  return completed(loop, task, output);
}

export function completed(loop: PregelLoop, task: Task, output: unknown): Promise<void> | undefined {
  try {
    loop.collectWrites(task, output);
    if (task.node.branches.length > 0) {
      const local = loop.plan.channels.apply(loop.state, [task.writes]);
      const routing = task.trace !== undefined ? traceBranches(task, task.trace, local) : loop.runBranches(task.node, local, task.config, task);
      if (routing !== undefined) {
        return routing.then(
          () => finish(loop, task, output),
          (error) => failed(loop, task, warnIfNodeInterrupt(error)),
        );
      }
    }
  } catch (error) {
    return failed(loop, task, warnIfNodeInterrupt(error));
  }
  return finish(loop, task, output);
}

function finish(loop: PregelLoop, task: Task, output: unknown): Promise<void> | undefined {
  task.finished = true;
  const trace = task.trace;
  if (trace !== undefined) return endTaskTrace(trace, task, output).then(() => loop.taskDone(task, output));
  loop.taskDone(task, output);
  return undefined;
}

export function failed(loop: PregelLoop, task: Task, error: unknown): Promise<void> | undefined {
  if (error instanceof ParentCommand) {
    // From a subgraph this task ran: apply the command here, as if this task had returned it.
    if (task.node.subgraph !== null) return completed(loop, task, new Command(error.command as CommandParams));
    task.error = error;
    loop.taskDone(task, undefined);
    return undefined;
  }
  if (isGraphInterrupt(error)) {
    task.interrupts = error.interrupts;
    loop.taskDone(task, undefined);
    return undefined;
  }
  if (isGraphDrained(error)) {
    // A subgraph drained: not a failure to retry or handle (the parent drains too).
    task.error = error;
    loop.taskDone(task, undefined);
    return undefined;
  }
  task.attempts++;
  task.firstAttemptTime ||= Date.now();
  const policy = task.node.retryPolicy;
  const run = loop.run;
  if (policy !== undefined && !run.signal.aborted && shouldRetry(policy, task.attempts, error)) {
    task.writes = NO_WRITES;
    task.routes = NO_ROUTES;
    task.interruptCount = 0;
    // streamSync cannot sleep: it retries at once.
    if (run.sync) return executeAttempt(loop, task);
    const delay = retryDelay(policy, task.attempts);
    if (policy.logWarning ?? true) {
      const name = error instanceof Error ? error.name : typeof error;
      console.log(`Retrying task "${task.name}" after ${delay.toFixed(2)}ms (attempt ${task.attempts}) after ${name}: ${String(error)}`);
    }
    return sleep(delay, run.signal).then(
      () => executeAttempt(loop, task),
      () => {
        task.error = error;
        loop.taskDone(task, undefined);
      },
    );
  }
  if (task.node.errorHandler !== undefined) return runErrorHandler(loop, task, task.node.errorHandler, error);
  task.error = error;
  loop.taskDone(task, undefined);
  return undefined;
}

/** LangGraph.js's warning for a NodeInterrupt thrown by a conditional edge (the only user code run after the node). */
function warnIfNodeInterrupt(error: unknown): unknown {
  if (error instanceof Error && error.name === "NodeInterrupt") {
    console.warn(
      "[WARN]: 'NodeInterrupt' thrown in conditional edge. This is likely a bug in your graph implementation.\n" +
        "NodeInterrupt should only be thrown inside a node, not in edge conditions.",
    );
  }
  return error;
}
