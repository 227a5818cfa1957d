// Reading the running task from anywhere inside a node, without its config: `getConfig()`,
// `getCurrentTaskInput()`, `getWriter()` (LangGraph.js's helpers). The synchronous part of a node finds
// its task through a pointer the engine sets around the call; after an `await`, through the
// AsyncLocalStorage task context. Runs enter that context per task only when something needs it
// (compiledGraph.ts): once a node whose source calls one of these helpers was added to a graph, or one
// of them was called, every later run in the process does.
import { functionalOf } from "./func/functionalState";
import { currentTask, noteTaskLookups } from "./pregel/currentTask";
import type { Task } from "./pregel/task";
import type { NodeConfig } from "./runConfig";
import { TASK_CONTEXT } from "./taskContext";

function runningTask(helper: string): Task {
  noteTaskLookups();
  const task = currentTask() as Task | null;
  if (task === null) {
    throw new Error(
      [
        "Config not retrievable. This is likely because you are running in an environment without support for AsyncLocalStorage.",
        `If you're running \`${helper}\` in such environment, pass the \`config\` from the node function directly.`,
      ].join("\n"),
    );
  }
  return task;
}

/** The config of the running node (what it receives as its second argument); undefined outside a node. */
export function getConfig(): NodeConfig {
  noteTaskLookups();
  return (currentTask() as Task | null)?.config as unknown as NodeConfig;
}

/** The input of the running task: the state for a node reached by edges, the argument of a Send, an entrypoint's input, a task() call's arguments. */
export function getCurrentTaskInput<T = unknown>(config?: NodeConfig): T {
  // A tool ToolNode runs gets the task in its config's configurable (LangChain copies the config's known keys only).
  const task = config ? ((config[TASK_CONTEXT] ?? (config.configurable as Record<symbol, unknown> | undefined)?.[TASK_CONTEXT]) as Task | undefined) : runningTask("getCurrentTaskInput");
  if (task === undefined) throw new Error("getCurrentTaskInput(config): `config` is not the config a node received");
  // An entrypoint's task gives the function's input; a task() call (no `functional`) its arguments.
  const functional = functionalOf(task);
  return (functional != null && functional.hasInput ? functional.input : task.input) as T;
}

/** The running node's `config.writer` ("custom" stream mode). */
export function getWriter(config?: NodeConfig): ((chunk: unknown) => void) | undefined {
  return config ? config.writer : runningTask("getWriter").config.writer;
}

/** Node source that calls one of the helpers above (checked when a node is added). */
export const CALLS_TASK_HELPER = /\b(getConfig|getCurrentTaskInput|getWriter|getStore)\s*\(/;

/** The running node's `config.store` (see `compile({ store })`). */
export function getStore(config?: NodeConfig): object | undefined {
  return config ? (config.store as object | undefined) : (runningTask("getStore").config.store as object | undefined);
}
