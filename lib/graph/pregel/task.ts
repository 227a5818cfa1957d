// One task of a superstep: a node run (pull, started by edges) or a Send (push), with what it wrote,
// where it routes, and its context (metadata, signal, writer, token sink).
import { PULL } from "../constants";
import type { Write } from "../channels/stateChannels";
import type { StreamedMessage } from "../messages";
import type { Send } from "../send";
import type { TaskContext } from "../taskContext";
import type { Interrupt, MessageMetadata } from "../types";
import type { PregelLoop } from "./loop";
import type { PlanNode } from "./plan";
import { TaskConfig } from "./taskConfig";
import type { NodeError } from "../nodeOptions/errors";
import type { TaskTrace } from "../langchain/runTracing";
import type { TimeoutPolicy } from "../nodeOptions/timeoutPolicy";
import { resultOfWrites } from "./resultOfWrites";

export type TaskPath = [typeof PULL, string] | [string, number, boolean];

/** Shared empty lists: most tasks never route dynamically, resume, or (before they run) write. */
export const NO_WRITES: Write[] = Object.freeze([]) as unknown as Write[];
export const NO_ROUTES: Array<string | Send> = Object.freeze([]) as unknown as Array<string | Send>;
const NO_RESUME: unknown[] = Object.freeze([]) as unknown as unknown[];

export class Task implements TaskContext {
  /** State writes, set once the node returned. */
  writes: Write[] = NO_WRITES;
  /** Destinations chosen at runtime: branch results and Command gotos (see addRoute). */
  routes: Array<string | Send> = NO_ROUTES;
  error: unknown = undefined;
  interrupts: Interrupt[] | null = null;
  /** What the node returned, held while the step's synchronous successes are deferred (see PregelLoop.runTasks). */
  output: unknown = undefined;
  /** True when the task's writes came from a checkpoint (it finished before an interrupt): not re-run. */
  restored = false;
  /** True when the task was restored from a checkpoint to run again (its run had stopped before it finished). */
  rerunAfterStop = false;
  /** True when this run appended a resume value (the task is being resumed now). */
  resumedNow = false;
  /** Set once the node returned and its writes were collected. */
  finished = false;
  attempts = 0;
  /** When the first attempt started, as far as known (see TaskConfig.executionInfo); 0 until then. */
  firstAttemptTime = 0;
  interruptCount = 0;
  /** A Send's own `timeout` (replaces the node's for this task); undefined for the node's. */
  timeout: TimeoutPolicy | undefined = undefined;
  /** An error handler's task: the failure it handles (`errorHandler(state, nodeError, config)`). */
  nodeError: NodeError | undefined = undefined;
  /** Its writes came from the node cache (streamed with `__metadata__: { cached: true }`). */
  cached = false;
  /** Resume values for successive `interrupt()` calls of this task (see addResume). */
  resumeValues: unknown[] = NO_RESUME;
  /** Its LangChain chain run, in runs given callbacks (langchain/runTracing.ts). */
  trace: TaskTrace | undefined = undefined;
  private metadataCache: MessageMetadata | null = null;
  private configCache: TaskConfig | null = null;
  /** TaskConfig.configurable, once read. */
  configurableCache: Record<string, unknown> | null = null;
  private idCache: string | null;

  addRoute(dest: string | Send): void {
    if (this.routes === NO_ROUTES) this.routes = [dest];
    else this.routes.push(dest);
  }

  addResume(value: unknown): void {
    this.resumeValues = this.resumeValues === NO_RESUME ? [value] : [...this.resumeValues, value];
  }

  constructor(
    readonly loop: PregelLoop,
    /** A saved task's id (resumed from a checkpoint), or null to draw one when first needed. */
    id: string | null,
    readonly node: PlanNode,
    readonly path: TaskPath,
    readonly triggers: string[],
    /** For Send tasks, the Send's argument; pull tasks read the state when the step starts. */
    public input: unknown,
    readonly isPush: boolean,
    /** The superstep this task runs in. */
    readonly step: number,
  ) {
    this.idCache = id;
  }

  /** Drawn lazily: a run that streams neither tasks, debug nor checkpoints, and whose nodes never read their metadata, never formats one. */
  get id(): string {
    return (this.idCache ??= this.loop.run.ids.next());
  }

  /** The writes as "tasks"/"debug" results show them: `{ key: value }`, several writes to a key as `{ key: { $writes: [...] } }`. */
  resultObject(): Record<string, unknown> {
    return resultOfWrites(this.writes);
  }

  /** The writes as "updates" shows them: `{ key: value }`, or one `{ key: value }` per write when a key was written twice. */
  updatesValue(): Record<string, unknown> | Array<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    const writes = this.writes;
    for (let i = 0; i < writes.length; i++) {
      const [key, value] = writes[i];
      if (key in result) return writes.map(([k, v]) => ({ [k]: v }));
      result[key] = value;
    }
    return result;
  }

  get name(): string {
    return this.node.name;
  }

  /** `<node>:<taskId>`, nested under the subgraph's namespace with `|`. */
  get checkpointNs(): string {
    const parent = this.loop.checkpointNs;
    return parent === "" ? `${this.node.name}:${this.id}` : `${parent}|${this.node.name}:${this.id}`;
  }

  // ---- TaskContext (what a chat model reports tokens to) ----

  get metadata(): MessageMetadata {
    let metadata = this.metadataCache;
    if (metadata === null) {
      const ns = this.checkpointNs;
      const extra = this.loop.run.userMetadata;
      const nodeMetadata = this.node.metadata;
      // Fixed-shape literal in the common case: spreading costs ~10x more per task.
      metadata = {
        ls_integration: "langgraph",
        langgraph_step: this.step,
        langgraph_node: this.node.name,
        langgraph_triggers: this.triggers,
        langgraph_path: this.path,
        langgraph_checkpoint_ns: ns,
        checkpoint_ns: ns,
      };
      if (extra !== null || nodeMetadata !== undefined) metadata = { ...extra, ...nodeMetadata, ...metadata };
      this.metadataCache = metadata;
    }
    return metadata;
  }

  get signal(): AbortSignal | undefined {
    return this.loop.run.signal;
  }

  get streamsMessages(): boolean {
    return this.loop.streams.messages;
  }

  /** The task itself (lets `interrupt()` find its task through the context). */
  get task(): Task {
    return this;
  }

  emitMessage(message: StreamedMessage, metadata: MessageMetadata): void {
    if (!this.loop.streams.messages) return;
    if (message.id) this.loop.run.seenMessageIds.add(message.id);
    this.loop.emit("messages", [message, metadata]);
  }

  // ---- the config the node receives ----

  get config(): TaskConfig {
    return (this.configCache ??= new TaskConfig(this));
  }

  interrupt(value: unknown): unknown {
    return this.loop.interrupt(this, value);
  }
}

