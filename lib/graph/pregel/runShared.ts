// What every loop of one run shares (the root graph's and its subgraphs'): ids, the output sink,
// the cancellation signal, and the ids of messages already streamed.
import type { RunTracing } from "../langchain/runTracing";
import type { StreamBuffer } from "../streamBuffer";
import type { StreamSink } from "../stream/streamSink";
import type { RunConfig } from "../runConfig";
import { IdSequence } from "./ids";
import { RunControl } from "../nodeOptions/runControl";
import { CONFIG_KEY_NODE_FINISHED } from "../constants";

export class RunShared {
  readonly ids = new IdSequence();
  readonly seenMessageIds = new Set<string>();
  /** Aborted when the caller's signal aborts, a node fails, or the consumer stops reading. */
  readonly controller = new AbortController();
  readonly signal: AbortSignal;
  /** The caller's `metadata`, merged into every task's metadata (null when none). */
  readonly userMetadata: Record<string, unknown> | null;
  /** The run's id for its checkpoints (`checkpointRunId`, else a string `metadata.run_id`); undefined when none. */
  readonly runId: string | undefined;
  /** True when `checkpointRunId` named the run (Rill's restart of a server run; not `metadata.run_id`). */
  readonly restartable: boolean;
  /** The caller's `configurable` (null when none). */
  readonly userConfigurable: Record<string, unknown> | null;
  /** True when the caller's config has keys beyond the engine's (tags, callbacks, ...), copied into node configs. */
  readonly hasExtraConfig: boolean;
  /** The caller's config minus what the engine owns; spread into every node's config. */
  readonly baseNodeConfig: Record<string, unknown>;
  private readonly detach: (() => void) | null = null;
  /** `config.maxConcurrency`: most tasks of one step running at once; 0 when unlimited. */
  readonly maxConcurrency: number;
  /** LangChain tracing of this run (langchain/runTracing.ts); null unless the caller gave callbacks. */
  tracing: RunTracing | null = null;
  /**
   * Time travel of the root graph: the parent checkpoint replayed. Each subgraph namespace's first load in
   * the run takes its newest checkpoint made before it (its state as of then), later loads the latest.
   */
  replay: { before: string; visited: Set<string> } | null = null;
  /** Time travel to a subgraph's checkpoint: namespace -> the checkpoint its first load takes. */
  subgraphTargets: Map<string, string> | null = null;
  /** The compiled graph's `stepTimeout` (ms) for async steps; 0 when none. */
  stepTimeout = 0;

  constructor(
    readonly sink: StreamSink,
    readonly config: RunConfig,
    readonly sync: boolean,
    readonly recursionLimit: number,
    /** The consumer's buffer (async runs wait on it for space). */
    readonly buffer: StreamBuffer<unknown> | null,
    /** Run nodes inside AsyncLocalStorage (see PregelLoop for when). */
    readonly useContext: boolean,
  ) {
    this.signal = this.controller.signal;
    // `config.timeout` (ms) is a deadline for the whole run, as @langchain/core's ensureConfig makes it: a
    // timeout signal joined to the caller's; the run rejects with its TimeoutError.
    const external = config.timeout === undefined ? config.signal : withDeadline(config.signal, config.timeout);
    if (external) {
      if (external.aborted) this.controller.abort(external.reason);
      else {
        const onAbort = () => this.controller.abort(external.reason);
        external.addEventListener("abort", onAbort, { once: true });
        this.detach = () => external.removeEventListener("abort", onAbort);
      }
    }
    const limit = config.maxConcurrency;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`maxConcurrency must be a positive integer, got ${String(limit)}`);
    this.maxConcurrency = limit ?? 0;
    this.userMetadata = config.metadata && Object.keys(config.metadata).length > 0 ? config.metadata : null;
    const metadataRunId = config.metadata?.run_id;
    this.runId = config.checkpointRunId ?? (typeof metadataRunId === "string" ? metadataRunId : undefined);
    this.restartable = config.checkpointRunId !== undefined;
    this.userConfigurable = config.configurable && Object.keys(config.configurable).length > 0 ? config.configurable : null;
    const { streamMode, subgraphs, signal, maxBufferedChunks, configurable, metadata, recursionLimit: _limit, interruptBefore, interruptAfter, timeout, control, durability, checkpointRunId, ...rest } = config;
    void streamMode, void subgraphs, void signal, void maxBufferedChunks, void configurable, void metadata, void _limit, void interruptBefore, void interruptAfter, void timeout, void checkpointRunId;
    if (control !== undefined && !(control instanceof RunControl)) throw new Error("config.control must be a RunControl");
    this.controlValue = control;
    if (durability !== undefined && durability !== "sync" && durability !== "async" && durability !== "exit") {
      throw new Error(`config.durability must be "sync", "async" or "exit", got ${JSON.stringify(durability)}`);
    }
    this.durability = durability ?? "async";
    this.baseNodeConfig = { ...rest, recursionLimit: this.recursionLimit };
    this.hasExtraConfig = Object.keys(rest).length > 0;
    const nodeFinished = this.userConfigurable?.[CONFIG_KEY_NODE_FINISHED];
    this.nodeFinished = typeof nodeFinished === "function" ? (nodeFinished as (node: string) => void) : null;
  }

  /** `configurable[CONFIG_KEY_NODE_FINISHED]`: told each node whose task finished (null when not given). */
  readonly nodeFinished: ((node: string) => void) | null;

  /** The caller's `config.control`, or the one made when a node first read `config.control`. */
  controlValue: RunControl | undefined;

  /** The run's RunControl (made on first read when the caller passed none). */
  get control(): RunControl {
    return (this.controlValue ??= new RunControl());
  }

  /** `config.durability`: when checkpoints reach the saver ("async" by default). */
  readonly durability: "sync" | "async" | "exit";

  /** True once a node failed for good: the run aborts its nodes but still waits for the step to settle. */
  failing = false;

  /** `config.metadata` of a streamed checkpoint: LangGraph.js copies the caller's primitive `configurable` values into it. */
  checkpointConfigMetadata(threadId: string): Record<string, unknown> {
    const metadata: Record<string, unknown> = { ls_integration: "langgraph", ...this.userMetadata };
    const configurable = this.config.configurable;
    if (configurable) {
      for (const [key, value] of Object.entries(configurable)) {
        if (key.startsWith("__") || value === null || typeof value === "object" || typeof value === "function") continue;
        if (!(key in metadata)) metadata[key] = value;
      }
    }
    metadata.thread_id = threadId;
    return metadata;
  }

  /** A node failed (after its retries): tell the other nodes to stop. */
  fail(error: unknown): void {
    // A node failing after the run was cancelled fails because of it: the run stays cancelled.
    if (this.failing || this.signal.aborted) return;
    this.failing = true;
    this.controller.abort(error);
  }

  /** A step outlived `stepTimeout`: abort the run with LangGraph.js's error. */
  stepTimedOut(): void {
    if (!this.signal.aborted) this.controller.abort(new Error("Abort"));
  }

  /** The consumer stopped reading: abort the run. */
  cancel(reason: unknown): void {
    if (this.signal.aborted) return;
    if (reason === undefined) {
      const error = new Error("The run was cancelled: its consumer stopped reading");
      error.name = "AbortError";
      reason = error;
    }
    this.controller.abort(reason);
  }

  /** The consumer stopped reading or the caller aborted. */
  get cancelled(): boolean {
    return this.signal.aborted && !this.failing;
  }

  /** Stops listening to the caller's signal once the run ended. */
  dispose(): void {
    this.detach?.();
  }
}

function withDeadline(signal: AbortSignal | undefined, timeout: unknown): AbortSignal {
  if (typeof timeout !== "number" || !(timeout > 0)) throw new Error(`config.timeout must be a positive number of milliseconds, got ${String(timeout)}`);
  const deadline = AbortSignal.timeout(timeout);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}
