// `task(name, fn)`: a unit of work an entrypoint (or a node) calls like a function. Each call runs `fn`
// with its own interrupt() resume values; its result is streamed in "updates" as `{ [name]: result }`
// and kept while the caller is interrupted, so a resumed caller (which runs again from the top) gets
// the saved result instead of running the call again.
import { GraphInterrupt, GraphValueError, isGraphInterrupt } from "../errors";
import { enterTask, currentTask } from "../pregel/currentTask";
import { hashHex32 } from "../pregel/ids";
import { Task } from "../pregel/task";
import { retryDelay, shouldRetry, sleep, type RetryPolicy } from "../retry";
import { runWithTaskContext, type TaskContext } from "../taskContext";
import type { StreamedMessage } from "../messages";
import type { MessageMetadata } from "../types";
import { FunctionalState, functionalOf, setFunctional, type TaskCache } from "./functionalState";
import { runTimedAttempt } from "./timedCall";
import { coerceTimeoutPolicy, type TimeoutPolicy } from "../nodeOptions/timeoutPolicy";

export interface TaskOptions {
  name: string;
  retry?: RetryPolicy;
  /** With the entrypoint's `cache`: a call with the same arguments (`keyFunc(...args)`, else their JSON) returns the cached result; `ttl` in seconds. */
  cachePolicy?: { ttl?: number; keyFunc?: (...args: unknown[]) => string };
  /** Milliseconds each attempt of a call may take (or `{ runTimeout }`): past it the attempt fails with NodeTimeoutError. */
  timeout?: number | TimeoutPolicy;
}

/** One running `task()` call: what interrupt(), getConfig() and chat models find while it runs. */
export class FunctionalCall implements TaskContext {
  private interruptCount = 0;
  constructor(
    /** The graph task (the entrypoint's) this call runs in. */
    readonly root: Task,
    readonly id: string,
    readonly name: string,
    private readonly resumeValues: unknown[],
    /** The call's arguments (what `getCurrentTaskInput()` gives inside it). */
    readonly input: unknown[],
  ) {}

  get metadata(): MessageMetadata {
    return this.root.metadata;
  }
  get signal(): AbortSignal | undefined {
    return this.root.signal;
  }
  get streamsMessages(): boolean {
    return this.root.streamsMessages;
  }
  emitMessage(message: StreamedMessage, metadata: MessageMetadata): void {
    this.root.emitMessage(message, metadata);
  }
  get task(): FunctionalCall {
    return this;
  }
  get config() {
    return this.root.config;
  }

  interrupt(value: unknown): unknown {
    if (this.root.loop.store === undefined) throw new GraphValueError("No checkpointer set", { lc_error_code: "MISSING_CHECKPOINTER" });
    const index = this.interruptCount++;
    if (index < this.resumeValues.length) return this.resumeValues[index];
    // The first call to interrupt in an execution is the one whose interrupt stops it (Promise.all rejects with the first).
    functionalOf(this.root)!.owner ??= this.id;
    throw new GraphInterrupt([{ id: hashHex32(`${this.root.checkpointNs}|${this.id}:${index}`), value }]);
  }
}

/**
 * The task's functional state, created on first use. A resume value that answers a call's interrupt
 * (not the task's own) moves from the task's resume values to that call's.
 */
export function functionalStateOf(task: Task): FunctionalState {
  const state = functionalOf(task) ?? setFunctional(task, new FunctionalState());
  // Once per run of the task (a restored state starts unclaimed).
  if (!state.claimed) {
    state.claimed = true;
    if (state.owner !== null) {
      if (task.resumedNow && task.resumeValues.length > 0) {
        const values = task.resumeValues;
        state.resumes.set(state.owner, [...(state.resumes.get(state.owner) ?? []), values[values.length - 1]]);
        task.resumeValues = values.slice(0, -1);
      }
      state.owner = null;
    }
  }
  return state;
}

/** The graph task a call made right now belongs to (through a running task() call too), or null outside a graph. */
export function callingGraphTask(): { root: Task; callerId: string } | null {
  const current = currentTask();
  if (current instanceof FunctionalCall) return { root: current.root, callerId: current.id };
  if (current instanceof Task) return { root: current, callerId: "" };
  return null;
}

export function isGeneratorFunction(fn: unknown): boolean {
  const name = (fn as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name === "GeneratorFunction" || name === "AsyncGeneratorFunction";
}

function invokeIn<Args extends unknown[], Output>(call: FunctionalCall, fn: (...args: Args) => Output | Promise<Output>, args: Args): Output | Promise<Output> {
  const previous = enterTask(call);
  try {
    return runWithTaskContext(call, () => fn(...args));
  } finally {
    enterTask(previous);
  }
}

async function runCall<Args extends unknown[], Output>(call: FunctionalCall, fn: (...args: Args) => Output | Promise<Output>, args: Args, retry: RetryPolicy | undefined, runTimeout?: number): Promise<Output> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await (runTimeout === undefined ? invokeIn(call, fn, args) : runTimedAttempt(call.name, runTimeout, () => invokeIn(call, fn, args)));
    } catch (error) {
      const signal = call.signal;
      if (retry === undefined || isGraphInterrupt(error) || signal?.aborted || !shouldRetry(retry, attempts, error)) throw error;
      const delay = retryDelay(retry, attempts);
      if (retry.logWarning ?? true) console.log(`Retrying task "${call.name}" after ${delay.toFixed(2)}ms (attempt ${attempts}) after ${error instanceof Error ? error.name : typeof error}: ${String(error)}`);
      await sleep(delay, signal);
    }
  }
}

const CACHE_NS = "__rill_task_cache__";

async function cachedCall<Output>(cache: TaskCache, policy: NonNullable<TaskOptions["cachePolicy"]>, name: string, args: unknown[], run: () => Promise<Output>): Promise<Output> {
  const key: [string[], string] = [[CACHE_NS, name], policy.keyFunc ? policy.keyFunc(...args) : JSON.stringify(args)];
  const [hit] = await cache.get([key]);
  if (hit !== undefined) return hit.value as Output;
  const value = await run();
  await cache.set([{ key, value, ttl: policy.ttl }]);
  return value;
}

/** LangGraph.js's `task()`: wraps `fn` so that calls from an entrypoint (or a node) are tracked tasks. */
export function task<Args extends unknown[], Output>(optionsOrName: string | TaskOptions, fn: (...args: Args) => Output | Promise<Output>): (...args: Args) => Promise<Output> {
  const options: TaskOptions = typeof optionsOrName === "string" ? { name: optionsOrName } : optionsOrName;
  if (typeof options?.name !== "string" || options.name === "") throw new Error("task(): a name is required (task(\"name\", fn) or task({ name }, fn))");
  if (typeof fn !== "function") throw new Error(`task("${options.name}"): the second argument must be a function`);
  if (isGeneratorFunction(fn)) throw new Error("Generators are disallowed as tasks. For streaming responses, use config.write.");
  const name = options.name;
  const timeout = coerceTimeoutPolicy(options.timeout, `task("${name}"): `);
  if (timeout?.idleTimeout !== undefined) throw new Error(`task("${name}"): idleTimeout is not supported for task() calls (they have no heartbeat); use runTimeout`);
  const runTimeout = timeout?.runTimeout;
  return (...args: Args): Promise<Output> => {
    const caller = callingGraphTask();
    // Outside any graph the function simply runs.
    if (caller === null) return Promise.resolve().then(() => fn(...args));
    const { root, callerId } = caller;
    const state = functionalStateOf(root);
    const id = state.nextCallId(callerId, name);
    if (state.results.has(id)) return Promise.resolve(state.results.get(id) as Output);
    const call = new FunctionalCall(root, id, name, state.resumes.get(id) ?? [], args);
    const policy = options.cachePolicy;
    const cache = policy === undefined ? undefined : state.cache;
    const execute = () => (cache === undefined ? runCall(call, fn, args, options.retry, runTimeout) : cachedCall(cache, policy!, name, args, () => runCall(call, fn, args, options.retry, runTimeout)));
    // A traced run reports each call as a chain run of its own (as LangGraph.js, whose calls are tasks).
    const tracing = root.loop.run.tracing;
    const run = tracing === null ? execute() : tracing.traceCall(root, name, args, execute);
    return run.then((value) => {
      state.results.set(id, value);
      const loop = root.loop;
      if (loop.streams.updates) loop.emit("updates", { [name]: value });
      return value;
    });
  };
}
