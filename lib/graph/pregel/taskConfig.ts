// The config a node receives as its second argument. It is built once per task, so it is a small
// fixed-shape object: `metadata` and `configurable` are computed only when a node reads them (most
// nodes never do), which saves most of a task's allocations. Spreading it (`{ ...config }`) keeps
// the task context, signal and writer (own properties) but not those two getters.
import { callbacksWithMessagesHandler } from "../langchain/streamMessagesCallbacks";
import { TASK_CONTEXT, type TaskContext } from "../taskContext";
import type { MessageMetadata } from "../types";
import type { Task } from "./task";

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
  }

  get metadata(): MessageMetadata {
    return this[TASK_CONTEXT].metadata;
  }

  get configurable(): Record<string, unknown> {
    const task = this[TASK_CONTEXT] as Task;
    let configurable = task.configurableCache;
    if (configurable === null) {
      const ns = task.checkpointNs;
      const user = task.loop.run.userConfigurable;
      configurable = task.configurableCache = user === null ? { checkpoint_ns: ns } : { ...user, checkpoint_ns: ns };
    }
    return configurable;
  }
}
