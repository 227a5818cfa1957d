// The config a node receives as its second argument. It is built once per task, so it is a small
// fixed-shape object: `metadata` and `configurable` are computed only when a node reads them (most
// nodes never do), which saves most of a task's allocations. Spreading it (`{ ...config }`) keeps
// the task context, signal and writer (own properties) but not those two getters.
import { callbacksWithMessagesHandler } from "../langchain/streamMessagesCallbacks";
import { callbacksWithToolsHandler } from "../langchain/streamToolsCallbacks";
import { TASK_CONTEXT, type TaskContext } from "../taskContext";
import type { MessageMetadata } from "../types";
import type { PregelLoop } from "./loop";
import type { Task } from "./task";
import type { RunControl } from "../nodeOptions/runControl";

export interface ExecutionInfo {
  readonly checkpointId: string;
  readonly checkpointNs: string;
  readonly taskId: string;
  /** Undefined without a `thread_id`. */
  readonly threadId?: string;
  readonly runId?: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly nodeAttempt: number;
  /** Milliseconds since the epoch. */
  readonly nodeFirstAttemptTime?: number;
}

export interface ServerInfo {
  readonly assistantId: string;
  readonly graphId: string;
  readonly user?: Record<string, unknown>;
}

export class TaskConfig {
  recursionLimit: number;
  signal: AbortSignal;
  writer: (chunk: unknown) => void;
  [TASK_CONTEXT]: TaskContext;
  [key: string]: unknown;

  constructor(task: Task) {
    const run = task.loop.run;
    if (run.hasExtraConfig) Object.assign(this, run.baseNodeConfig);
    this.recursionLimit = run.recursionLimit;
    this.signal = run.signal;
    this.writer = task.loop.writer;
    this[TASK_CONTEXT] = task;
    // LangChain chat models called with this config stream their tokens into "messages" mode. Every task of
    // a run that streams "messages" has the handler (as on LangGraph.js, where it makes models stream even
    // in a subgraph whose tokens are not shown); it reports only what this task's stream shows.
    if (run.sink.root.messages) this.callbacks = callbacksWithMessagesHandler(task, this.callbacks);
    // Likewise LangChain tools called with it report their start/events/end/error into "tools" mode.
    if (run.sink.root.tools) this.callbacks = callbacksWithToolsHandler(task, this.callbacks);
  }

  /** The run's RunControl (LangGraph.js's `runtime.control`). */
  get control(): RunControl {
    return (this[TASK_CONTEXT] as Task).loop.run.control;
  }

  /** Progress for an `idleTimeout`; a node without a timeout has nothing to refresh. */
  heartbeat(): void {}

  get metadata(): MessageMetadata {
    return this[TASK_CONTEXT].metadata;
  }

  /** Where and how often this node runs (LangGraph.js's `runtime.executionInfo`), built when read. */
  get executionInfo(): ExecutionInfo {
    const task = this[TASK_CONTEXT] as Task;
    const loop = task.loop;
    const threadId = loop.run.userConfigurable?.thread_id;
    const runId = loop.run.config.runId;
    return {
      checkpointId: loop.currentCheckpointId(),
      checkpointNs: task.checkpointNs,
      taskId: task.id,
      threadId: threadId === undefined || threadId === null ? undefined : String(threadId),
      runId: runId === undefined || runId === null ? undefined : String(runId),
      nodeAttempt: task.attempts + 1,
      // Recorded the first time it is read or an attempt fails (recording every task's start would cost every run).
      nodeFirstAttemptTime: (task.firstAttemptTime ||= Date.now()),
    };
  }

  /** The LangGraph Server ids of the run (`assistant_id`, `graph_id`, `langgraph_auth_user`), undefined when none. */
  get serverInfo(): ServerInfo | undefined {
    const config = (this[TASK_CONTEXT] as Task).loop.run.config;
    const configurable = config.configurable ?? {};
    const metadata = config.metadata ?? {};
    const assistantId = configurable.assistant_id ?? metadata.assistant_id;
    const graphId = configurable.graph_id ?? metadata.graph_id;
    const auth = configurable.langgraph_auth_user;
    const user = auth !== null && typeof auth === "object" && "identity" in auth ? (auth as Record<string, unknown>) : undefined;
    if (assistantId == null && graphId == null && user === undefined) return undefined;
    return { assistantId: assistantId == null ? "" : String(assistantId), graphId: graphId == null ? "" : String(graphId), user };
  }

  /** The store of `compile({ store })` (a subgraph uses its ancestors'), else the caller's `config.store`. */
  get store(): object | undefined {
    for (let loop: PregelLoop | undefined = (this[TASK_CONTEXT] as Task).loop; loop !== undefined; loop = loop.parentTask?.loop) {
      if (loop.plan.store !== undefined) return loop.plan.store;
    }
    return (this[TASK_CONTEXT] as Task).loop.run.config.store as object | undefined;
  }

  get configurable(): Record<string, unknown> {
    const task = this[TASK_CONTEXT] as Task;
    let configurable = task.configurableCache;
    if (configurable === null) {
      const ns = task.checkpointNs;
      const user = task.loop.configurable;
      configurable = task.configurableCache = user === null ? { checkpoint_ns: ns } : { ...user, checkpoint_ns: ns };
    }
    return configurable;
  }
}
