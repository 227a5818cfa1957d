// LangChain callback tracing of a run (config.callbacks: handlers, tracers, streamEvents' event streamer), as
// LangGraph.js reports it: the graph run is one chain run (named `runName` ?? the graph's name), each task a
// child chain run named after its node (tags `graph:step:<n>`, metadata langgraph_*), and LangChain code a
// node calls (with its config or without: through LangChain's AsyncLocalStorage) nests under its task.
//
// Only runs given callbacks get here: @langchain/core is imported lazily on the first such run, so graphs
// that never use LangChain never load it, and untraced runs pay one null test per task.
import type { CallbackManager, CallbackManagerForChainRun } from "@langchain/core/callbacks/manager";
import type { RunConfig } from "../runConfig";
import type { PregelLoop } from "../pregel/loop";
import type { Task } from "../pregel/task";
import { runWithLangChainConfig } from "./langchainContext";
import { callbacksWithMessagesHandler } from "./streamMessagesCallbacks";
import { callbacksWithToolsHandler } from "./streamToolsCallbacks";

type CallbacksModule = typeof import("@langchain/core/callbacks/manager");
let callbacksModule: Promise<CallbacksModule> | undefined;

function loadCallbacks(): Promise<CallbacksModule> {
  return (callbacksModule ??= import("@langchain/core/callbacks/manager").catch((error: unknown) => {
    callbacksModule = undefined;
    throw needsCore("config.callbacks", error);
  }));
}

/** The error for a LangChain feature used without @langchain/core installed. */
export function needsCore(feature: string, cause: unknown): Error {
  return new Error(`${feature} needs the optional peer @langchain/core (npm install @langchain/core): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}

/** True when `config.callbacks` names at least one handler (or is a CallbackManager). */
export function wantsTracing(config: RunConfig): boolean {
  const callbacks = config.callbacks as unknown;
  if (callbacks === undefined || callbacks === null) return false;
  return !Array.isArray(callbacks) || callbacks.length > 0;
}

/** LangChain's serialized form of what ran (handlers read `id` for the run type). */
const SERIALIZED_GRAPH = { lc: 1 as const, type: "not_implemented" as const, id: ["langgraph", "CompiledStateGraph"] };
const SERIALIZED_TASK = { lc: 1 as const, type: "not_implemented" as const, id: ["langgraph", "RunnableSequence"] };

/** LangChain's `_coerceToDict`: a plain object as is, anything else under `key`. */
function asDict(value: unknown, key: string): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date) ? (value as Record<string, unknown>) : { [key]: value };
}

const OMITTED_KEY_PARTS = ["key", "token", "secret", "password", "auth"];

/** What LangGraph.js adds to a LangChainTracer's runs: the primitive `configurable` values (not context aliases, not secrets). */
/**
 * Runs `work` in the chain run `run` (when tracing started one), ending that run with the output or the error
 * (a failing handler does not fail the run; the error still propagates).
 */
async function withinChainRun<T>(run: CallbackManagerForChainRun | undefined, work: () => T | Promise<T>): Promise<T> {
  let output: T;
  try {
    output = await work();
  } catch (error) {
    await run?.handleChainError(error).catch(() => {});
    throw error;
  }
  await run?.handleChainEnd(asDict(output, "output")).catch(() => {});
  return output;
}

function tracerMetadata(config: RunConfig): Record<string, unknown> | undefined {
  const configurable = config.configurable;
  if (!configurable) return undefined;
  const context = (config as { context?: Record<string, unknown> }).context;
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configurable)) {
    if (context != null && Object.prototype.hasOwnProperty.call(context, key) && Object.is(context[key], value)) {
      if (!key.startsWith("__")) metadata[key] = undefined;
      continue;
    }
    const lower = key.toLowerCase();
    if (key.startsWith("__") || !["string", "number", "boolean"].includes(typeof value) || OMITTED_KEY_PARTS.some((p) => lower.includes(p))) continue;
    metadata[key] = value;
  }
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}

/** A task's chain run, and the node's output when it completed. */
export interface TaskTrace {
  readonly runManager: CallbackManagerForChainRun | undefined;
  /** A subgraph node's task: the subgraph's own graph run, under the task's (its tasks nest under it). */
  graphRun: CallbackManagerForChainRun | undefined;
  ended: boolean;
}

export class RunTracing {
  private constructor(
    private readonly core: CallbacksModule,
    readonly graphRun: CallbackManagerForChainRun | undefined,
  ) {}

  /** Starts the graph's chain run. */
  static async start(config: RunConfig, graphName: string, input: unknown): Promise<RunTracing> {
    const core = await loadCallbacks();
    const metadata = { ls_integration: "langgraph", ...config.metadata };
    const manager = core.CallbackManager._configureSync(config.callbacks, undefined, config.tags, undefined, metadata, undefined, {
      tracerInheritableMetadata: tracerMetadata(config),
    });
    const graphRun = await manager?.handleChainStart(SERIALIZED_GRAPH, asDict(input, "input"), config.runId as string | undefined, undefined, undefined, undefined, config.runName ?? graphName);
    return new RunTracing(core, graphRun);
  }

  /** The input step LangGraph.js runs as a hidden `__start__` task (step 0), under `graphRun` (the root's by default). */
  async traceInput(input: unknown, config: RunConfig, taskId: string, graphRun = this.graphRun): Promise<void> {
    if (input === null || input === undefined || (typeof input === "object" && (input as { lg_name?: string }).lg_name === "Command")) return;
    const ns = `__start__:${taskId}`;
    const metadata = {
      ...config.metadata,
      ls_integration: "langgraph",
      langgraph_step: 0,
      langgraph_node: "__start__",
      langgraph_triggers: ["__start__"],
      langgraph_path: ["__pregel_pull", "__start__"],
      langgraph_checkpoint_ns: ns,
      checkpoint_ns: ns,
    };
    const manager = this.configure(graphRun, 0, ["langsmith:hidden"], metadata);
    const run = await manager?.handleChainStart(SERIALIZED_TASK, asDict(input, "input"), undefined, undefined, undefined, undefined, "__start__");
    await run?.handleChainEnd(asDict(input, "output"));
  }

  async end(output: unknown): Promise<void> {
    await this.graphRun?.handleChainEnd(asDict(output ?? {}, "output"));
  }

  async fail(error: unknown): Promise<void> {
    try {
      await this.graphRun?.handleChainError(error);
      // LangChain hands callbacks to a background queue: the handlers (a tracer's persisted run) have the
      // graph run's error before the run rejects, as on LangGraph.js.
      await (await import("@langchain/core/callbacks/promises")).awaitAllCallbacks();
    } catch {
      // The run's own error is what the caller sees.
    }
  }

  /**
   * A compiled graph a traced task's node invokes: a graph run (with its input step) under the task's callbacks,
   * holding the child graph's tasks while it runs.
   */
  async traceChildGraph(task: Task, name: string, input: unknown, run: () => unknown): Promise<unknown> {
    const trace = task.trace;
    const callbacks = task.config.callbacks as CallbackManager | undefined;
    if (trace === undefined || typeof callbacks?.handleChainStart !== "function") return run();
    const previous = trace.graphRun;
    let graphRun: CallbackManagerForChainRun | undefined;
    try {
      graphRun = await callbacks.handleChainStart(SERIALIZED_GRAPH, asDict(input, "input"), undefined, undefined, undefined, undefined, name);
      await this.traceInput(input, task.loop.run.config, `${task.id}-call`, graphRun);
    } catch {
      // As for tasks: a failing handler does not fail the run.
    }
    trace.graphRun = graphRun;
    try {
      return await withinChainRun(graphRun, run);
    } finally {
      trace.graphRun = previous;
    }
  }

  /**
   * A functional-API `task()` call made by `task`'s code: a chain run named after the call, with its arguments as
   * input, beside the calling task's run under the graph's (LangGraph.js runs each call as a task of the step).
   */
  async traceCall<T>(task: Task, name: string, args: unknown[], run: () => Promise<T>): Promise<T> {
    let runManager: CallbackManagerForChainRun | undefined;
    try {
      const parentTrace = task.loop.parentTask?.trace;
      const parent = parentTrace !== undefined ? (parentTrace.graphRun ?? parentTrace.runManager) : this.graphRun;
      const metadata = { ...task.metadata, langgraph_node: name, langgraph_triggers: ["__pregel_push"] };
      runManager = await this.configure(parent, task.step, undefined, metadata)?.handleChainStart(SERIALIZED_TASK, asDict(args, "input"), undefined, undefined, undefined, undefined, name);
    } catch {
      // As for tasks: a failing handler does not fail the run.
    }
    return withinChainRun(runManager, run);
  }

  /** A task's callback manager: its step tag first (then the inherited tags, then its own), as LangGraph.js orders them. */
  private configure(parent: CallbackManagerForChainRun | undefined, step: number, tags: string[] | undefined, metadata: Record<string, unknown>): CallbackManager | undefined {
    const stepTag = `graph:step:${step}`;
    const manager = this.core.CallbackManager._configureSync(parent?.getChild(stepTag), undefined, tags, undefined, metadata);
    if (manager !== undefined) manager.tags = [stepTag, ...manager.tags.filter((t) => t !== stepTag)];
    return manager;
  }

  /**
   * Runs `task` (through `run`, the engine's untraced task runner) as a chain run under the graph's run (or,
   * in a subgraph, under the task that runs the subgraph). Never rejects, as the runner does not.
   */
  async traceTask(loop: PregelLoop, task: Task, run: (loop: PregelLoop, task: Task) => Promise<void> | undefined): Promise<void> {
    let runManager: CallbackManagerForChainRun | undefined;
    try {
      const parentTrace = loop.parentTask?.trace;
      const parent = parentTrace !== undefined ? (parentTrace.graphRun ?? parentTrace.runManager) : this.graphRun;
      const manager = this.configure(parent, task.step, undefined, task.metadata);
      runManager = await manager?.handleChainStart(SERIALIZED_TASK, asDict(shownValue(loop, task.input), "input"), undefined, undefined, undefined, undefined, task.name);
    } catch {
      // A failing handler must not fail the node (LangChain logs handler errors and goes on).
    }
    const trace: TaskTrace = (task.trace = { runManager, graphRun: undefined, ended: false });
    const subgraph = task.node.subgraph as { name?: string } | null;
    if (subgraph !== null && runManager !== undefined) {
      // As a compiled graph run as a node: its own graph run (tags and metadata inherited) and input step.
      try {
        trace.graphRun = await runManager.getChild().handleChainStart(SERIALIZED_GRAPH, asDict(task.input, "input"), undefined, undefined, undefined, undefined, subgraph.name ?? "LangGraph");
        await this.traceInput(task.input, loop.run.config, `${task.id}-start`, trace.graphRun);
      } catch {
        // As above.
      }
    }
    // The graph's run id and name are its own, not its nodes' (LangChain code a node calls must not reuse them).
    delete task.config.runId;
    delete task.config.runName;
    if (runManager !== undefined) {
      const child = runManager.getChild();
      const withMessages = loop.run.sink.root.messages ? callbacksWithMessagesHandler(task, child) : child;
      task.config.callbacks = loop.run.sink.root.tools ? callbacksWithToolsHandler(task, withMessages) : withMessages;
    }
    await runWithLangChainConfig(task.config, () => run(loop, task));
    // Failed or interrupted (a completed task reported its end before the engine recorded it).
    if (!trace.ended) await endTaskTrace(trace, task, undefined);
  }
}

const SERIALIZED_LAMBDA = { lc: 1 as const, type: "not_implemented" as const, id: ["langchain_core", "runnables", "RunnableLambda"] };

/**
 * A traced task's conditional edges, each as a `RunnableLambda` chain run under the task's run (as LangGraph.js
 * runs a path function): LangChain code the path calls nests under it.
 */
export async function traceBranches(task: Task, trace: TaskTrace, state: unknown): Promise<void> {
  const config = task.config;
  const taskCallbacks = config.callbacks;
  for (const branch of task.node.branches) {
    let run: CallbackManagerForChainRun | undefined;
    try {
      run = await trace.runManager?.getChild().handleChainStart(SERIALIZED_LAMBDA, asDict(state, "input"), undefined, undefined, undefined, undefined, "RunnableLambda");
    } catch {
      // As for tasks: a failing handler does not fail the run.
    }
    if (run !== undefined) config.callbacks = run.getChild();
    let result: unknown;
    try {
      result = await withinChainRun(run, () => runWithLangChainConfig(config, () => branch.path(state as never, config)));
    } finally {
      config.callbacks = taskCallbacks;
    }
    for (const dest of branch.resolve(result as never)) task.addRoute(dest);
  }
}

/** Reports a traced task's end (before the engine records it, as LangGraph.js's task ends before its writes stream). */
export async function endTaskTrace(trace: TaskTrace, task: Task, output: unknown): Promise<void> {
  trace.ended = true;
  const runManager = trace.runManager;
  if (runManager === undefined) return;
  try {
    if (trace.graphRun !== undefined) await endRun(trace.graphRun, task, output);
    await endRun(runManager, task, output);
  } catch {
    // As above: handler failures do not fail the run.
  }
}

async function endRun(runManager: CallbackManagerForChainRun, task: Task, output: unknown): Promise<void> {
  if (task.error !== undefined) await runManager.handleChainError(task.error);
  else if (task.interrupts !== null && task.interrupts.length > 0) await runManager.handleChainError(Object.assign(new Error("GraphInterrupt"), { name: "GraphInterrupt", interrupts: task.interrupts }));
  else await runManager.handleChainEnd(asDict(shownValue(task.loop, output), "output"));
}

/** A plain Graph's task input or output as its nodes see it: the bare value, not the hidden key holding it. */
function shownValue(loop: PregelLoop, value: unknown): unknown {
  const key = loop.plan.plainValueKey;
  return key !== undefined && value !== null && typeof value === "object" && key in value ? (value as Record<string, unknown>)[key] : value;
}
