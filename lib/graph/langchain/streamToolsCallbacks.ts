// "tools" mode, as LangGraph.js 1.7.3's: a callback handler hears LangChain tools start, stream
// (`handleToolEvent`), end and fail, and turns each into a chunk `{ event: "on_tool_*", toolCallId, name, ... }`.
// Tools called by ToolNode (or any node passing its config to `tool.invoke`) report through it.
//
// The handler has the fields LangChain's CallbackManager looks for (name, awaitHandlers, copy), so it is used
// as it is, and this file never imports @langchain/core. The engine gives one to each task of a run that
// streams "tools" (zero cost otherwise); it emits through the task's loop, which adds the namespace.
import { isGraphInterrupt } from "../errors";
import { isGraphDrained } from "../nodeOptions/errors";
import type { Task } from "../pregel/task";
import type { Namespace, ToolsChunk } from "../types";

/** LangGraph.js's namespace options: without `subgraphs`, events from inside a subgraph are dropped. */
export interface ToolsNamespaceOptions {
  subgraphs: boolean;
  parentNs?: string;
}

interface ToolRun {
  ns: Namespace;
  toolCallId: string | undefined;
  name: string;
}

const HIDDEN_TAG = "langsmith:hidden";

export class StreamToolsHandler {
  readonly name = "StreamToolsHandler";
  /** In line with the tool: its chunks reach the stream before `tool.invoke` returns or throws. */
  readonly awaitHandlers = true;
  readonly raiseError = false;
  readonly ignoreLLM = true;
  readonly ignoreChain = true;
  readonly ignoreAgent = false;
  readonly ignoreRetriever = true;
  readonly ignoreCustomEvent = true;
  private readonly runs = new Map<string, ToolRun>();

  constructor(
    private readonly streamFn: (chunk: [Namespace, "tools", ToolsChunk]) => void,
    private readonly namespaceOptions?: ToolsNamespaceOptions,
  ) {}

  copy(): this {
    return this;
  }

  handleToolStart(
    _tool: unknown,
    input: string,
    runId: string,
    _parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    if (metadata === undefined || metadata === null || tags?.includes(HIDDEN_TAG)) return;
    const checkpointNs = metadata.langgraph_checkpoint_ns;
    const ns = typeof checkpointNs === "string" ? this.namespaceOf(checkpointNs, metadata) : [];
    if (this.outsideStream(ns)) return;
    const run: ToolRun = { ns, toolCallId, name: runName ?? "unknown" };
    this.runs.set(runId, run);
    this.streamFn([ns, "tools", { event: "on_tool_start", toolCallId, name: run.name, input }]);
  }

  handleToolEvent(chunk: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run !== undefined) this.streamFn([run.ns, "tools", { event: "on_tool_event", toolCallId: run.toolCallId, name: run.name, data: chunk }]);
  }

  handleToolEnd(output: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run === undefined) return;
    this.runs.delete(runId);
    this.streamFn([run.ns, "tools", { event: "on_tool_end", toolCallId: run.toolCallId, name: run.name, output }]);
  }

  handleToolError(error: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run === undefined) return;
    this.runs.delete(runId);
    // An interrupt or a drain is the graph stopping, not the tool failing.
    if (isGraphInterrupt(error) || isGraphDrained(error)) return;
    this.streamFn([run.ns, "tools", { event: "on_tool_error", toolCallId: run.toolCallId, name: run.name, error }]);
  }

  /**
   * Without options, the checkpoint namespace's segments. With them (LangGraph.js's stream), the namespace
   * of the graph the task runs in: its own segment dropped, and one more per `Send` nested in its path.
   */
  private namespaceOf(checkpointNs: string, metadata: Record<string, unknown>): Namespace {
    const ns = checkpointNs.split("|");
    if (this.namespaceOptions === undefined) return ns;
    let path = metadata.langgraph_path;
    let taskSegments = 1;
    while (Array.isArray(path) && path[0] === "__pregel_push" && path[path.length - 1] === true) {
      taskSegments += 1;
      path = path[1];
    }
    return ns.slice(0, Math.max(ns.length - taskSegments, 0));
  }

  private outsideStream(ns: Namespace): boolean {
    const options = this.namespaceOptions;
    if (options === undefined || options.subgraphs) return false;
    return ns.length > 0 && ns.join("|") !== options.parentNs;
  }
}

/**
 * The `callbacks` of a node's config in a run that streams "tools": the caller's callbacks (an array of
 * handlers, or a CallbackManager) plus a handler emitting this task's tool events into its loop's stream.
 */
export function callbacksWithToolsHandler(task: Task, callerCallbacks: unknown): unknown {
  const loop = task.loop;
  const handler = new StreamToolsHandler((chunk) => {
    if (loop.streams.tools) loop.emit("tools", chunk[2]);
  });
  if (callerCallbacks === undefined || callerCallbacks === null) return [handler];
  if (Array.isArray(callerCallbacks)) return [...callerCallbacks, handler];
  const manager = callerCallbacks as { copy?: () => { addHandler(h: unknown, inherit?: boolean): void } };
  if (typeof manager.copy === "function") {
    const copy = manager.copy();
    copy.addHandler(handler, true);
    return copy;
  }
  return [handler];
}
