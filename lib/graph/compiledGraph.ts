// A compiled graph: invoke / stream / streamSync, thread state (getState, getStateHistory,
// updateState) and getGraph(). Each run gets its own RunShared, sink and loop; the compiled graph
// itself is immutable and can run any number of runs concurrently.
import type { BaseCheckpointSaver, CheckpointMetadata, CheckpointTuple } from "./checkpoint/base";
import { readCheckpoint } from "./checkpoint/checkpointFields";
import { INTERRUPT, PULL, type START } from "./constants";
import { mergeRunConfig } from "./configMerge";
import { GraphValueError, InvalidUpdateError } from "./errors";
import { expandSubgraphs } from "./graphXray";
import { withDrawMethods, type MermaidOptions } from "./graphDrawing";
import { driveAsync } from "./pregel/drive";
import { driveTraced, endingWithTrace } from "./pregel/driveTraced";
import { wantsTracing } from "./langchain/runTracing";
import { streamGraphEvents, type ChainEventStream, type StreamableGraph } from "./langchain/streamEvents";
import { GraphRunStream, PROTOCOL_STREAM_MODES } from "./stream/protocolEvents";
import type { StreamTransformerFactory } from "./stream/streamTransformers";
import { driveSteps } from "./pregel/driveSteps";
import { ERROR, writesOf } from "./pregel/checkpointing";
import { PregelLoop } from "./pregel/loop";
import { pickKeys } from "./pregel/pickKeys";
import type { GraphPlan, PlanNode } from "./pregel/plan";
import type { RetryPolicy } from "./retry";
import type { CachePolicy } from "./nodeOptions/cache";
import type { TimeoutPolicy } from "./nodeOptions/timeoutPolicy";
import { taskLookupsUsed } from "./pregel/currentTask";
import { RunShared } from "./pregel/runShared";
import { runChildGraph } from "./pregel/subgraph";
import { planAtNamespace } from "./pregel/planAtNamespace";
import { CallerTeeSink } from "./stream/callerTeeSink";
import { callingTask } from "./pregel/callingTask";
import { resultOfWrites } from "./pregel/resultOfWrites";
import { validateContext } from "./contextSchema";
import type { StateGraph } from "./stateGraph";
import { Task } from "./pregel/task";
import { TASK_CONTEXT } from "./taskContext";
import { ThreadStore } from "./pregel/threadStore";
import type { RunConfig } from "./runConfig";
import type { DrawableGraph } from "./stateGraph";
import { DEFAULT_MAX_BUFFERED_CHUNKS, StreamBuffer } from "./streamBuffer";
import { NO_MODES, StreamSink, type ChunkTarget } from "./stream/streamSink";
import { STREAM_MODES, type ChunkByMode, type Interrupt, type Namespace, type StateValues, type StreamMode, type TaskError } from "./types";
import type { Command } from "./command";
import { startedAtOnce } from "./langchain/eventsStartedAtOnce";

/** Default `recursionLimit`, as in LangGraph.js. */
export const DEFAULT_RECURSION_LIMIT = 25;

/** One stream item for the modes `M` of a list: `[mode, chunk]`. */
export type StreamPartOf<S, M extends StreamMode> = { [K in M]: [K, ChunkByMode<S>[K]] }[M];
/** With `subgraphs: true` and a list of modes: `[namespace, mode, chunk]`. */
export type NamespacedPartOf<S, M extends StreamMode> = { [K in M]: [Namespace, K, ChunkByMode<S>[K]] }[M];

/** The iterable a run yields: read it with `for await`; `cancel()` stops the run. */
export interface RunStream<T> extends AsyncIterableIterator<T> {
  /** Stops the run (its nodes see `config.signal` abort) and ends the iteration. */
  cancel(reason?: unknown): void;
  /** Chunks produced and not yet read. */
  readonly bufferedCount: number;
  /** The most chunks ever held unread (bounded by `maxBufferedChunks` plus one superstep's chunks). */
  readonly peakBuffered: number;
  /**
   * How the run ended, once it has: "done", or "interrupted" with what the interrupted nodes asked (empty
   * at a static breakpoint). Rejects with the run's error when it failed or was cancelled. Read it after
   * the iteration ends: a caller no longer needs "updates" chunks to learn whether the run interrupted.
   */
  readonly outcome: Promise<RunOutcome>;
}

/** How a run ended (RunStream.outcome). */
export interface RunOutcome {
  status: "done" | "interrupted";
  /** What the interrupted nodes asked, root and subgraphs together; empty when done. */
  interrupts: Interrupt[];
}

function outcomeOf(loop: PregelLoop): RunOutcome {
  return loop.status === "interrupted" ? { status: "interrupted", interrupts: loop.interrupts } : { status: "done", interrupts: [] };
}

/**
 * What stream() returns: a promise of the stream (LangGraph.js returns one) that is itself iterable,
 * so both `for await (const c of graph.stream(...))` and `for await (const c of await graph.stream(...))` work.
 */
export type GraphStream<T> = Promise<RunStream<T>> & AsyncIterable<T>;

export interface StateSnapshot<S = StateValues> {
  values: S;
  next: string[];
  tasks: Array<{
    id: string;
    name: string;
    path: Array<string | number | boolean>;
    interrupts: Interrupt[];
    error?: TaskError;
    result?: Record<string, unknown>;
    /** A subgraph task's state: its snapshot with `getState(config, { subgraphs: true })`, else the config naming it. */
    state?: StateSnapshot | { configurable: Record<string, unknown> };
  }>;
  metadata?: Record<string, unknown>;
  config: { configurable: Record<string, unknown> };
  createdAt?: string;
  parentConfig?: { configurable: Record<string, unknown> };
}

/** A node of a compiled graph (`graph.nodes[name]`): run it alone with `invoke`, read its options. */
export interface CompiledNode {
  invoke(input: unknown, config?: RunConfig): Promise<unknown>;
  retryPolicy: RetryPolicy | undefined;
  cachePolicy: CachePolicy | undefined;
  timeout: TimeoutPolicy | undefined;
  metadata: Record<string, unknown> | undefined;
  /** The node its `errorHandler` (or the graph's default) runs as, undefined without one. */
  errorHandlerNode: string | undefined;
}

type ModeList = readonly StreamMode[];
type InvokeInput<U> = U | Command | null;

export class CompiledStateGraph<S = StateValues, U = Partial<S>, N extends string = string> {
  /** Phantom: the node names (for typing only). */
  declare readonly NodeNames: N;

  /** Config bound by withConfig(), merged under every call's config (null when none). */
  private bound: RunConfig | null = null;
  /** Runs enter the task context for every task (an entrypoint's task() calls look it up after an await). */
  usesTaskContext = false;

  constructor(
    /** The topology this graph runs (engine-internal). */
    readonly plan: GraphPlan,
    private readonly drawable: DrawableGraph,
    readonly name: string = "LangGraph",
  ) {}

  /** The StateGraph this graph was compiled from (LangGraph.js's `graph.builder`); undefined for entrypoints. */
  builder: StateGraph<any, any> | undefined = undefined;

  /** A copy of this graph whose runs use `config` (merged under each call's own config, as LangChain merges them). */
  withConfig(config: RunConfig): CompiledStateGraph<S, U, N> {
    const copy = new CompiledStateGraph<S, U, N>(this.plan, this.drawable, this.name);
    copy.builder = this.builder;
    copy.bound = this.bound ? mergeRunConfig(this.bound, config) : { ...config };
    copy.stepTimeout = this.stepTimeout;
    copy.usesTaskContext = this.usesTaskContext;
    return copy;
  }

  /**
   * Runs `invoke` for each input (each with its config when `config` is a list), at most
   * `maxConcurrency` at a time. With `returnExceptions`, a failed run's error takes its place in the
   * result instead of rejecting the batch.
   */
  async batch(inputs: Array<InvokeInput<U>>, config?: RunConfig | RunConfig[], options: { returnExceptions?: boolean; maxConcurrency?: number } = {}): Promise<Array<S | Error>> {
    if (Array.isArray(config) && config.length !== inputs.length) {
      throw new Error(`batch: got ${inputs.length} inputs and ${config.length} configs; pass one config, or one per input`);
    }
    const configFor = (i: number): RunConfig => (Array.isArray(config) ? config[i] : config) ?? {};
    const limit = (Array.isArray(config) ? config[0]?.maxConcurrency : config?.maxConcurrency) ?? options.maxConcurrency ?? inputs.length;
    const results = new Array<S | Error>(inputs.length);
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const i = next++;
        try {
          results[i] = await this.invoke(inputs[i], configFor(i));
        } catch (error) {
          if (!options.returnExceptions) throw error;
          results[i] = error as Error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker));
    return results;
  }

  /**
   * Milliseconds a superstep may take (LangGraph.js's `graph.stepTimeout`): a step still running then is
   * aborted (its nodes see `config.signal` abort) and the run rejects with `Error("Abort")`. Async runs only.
   */
  stepTimeout?: number;

  /** The checkpointer compile() was given, as LangGraph.js exposes it (undefined without one). */
  get checkpointer(): BaseCheckpointSaver | undefined {
    return this.plan.checkpointer;
  }

  /** Gives the graph a checkpointer after compile(), as LangGraph.js's server does (`graph.checkpointer = saver`). */
  set checkpointer(saver: BaseCheckpointSaver | undefined) {
    this.plan.checkpointer = saver;
  }

  // ------------------------------------------------------------------ runs

  /** Runs to the end and resolves with the final state (plus `__interrupt__` when a node interrupted). */
  async invoke(input: InvokeInput<U>, config: RunConfig = {}): Promise<S> {
    // Called by a running node (with its config, or inside its task context): run as that task's
    // subgraph, streaming into the parent's stream as LangGraph.js does.
    // A config naming a thread of its own (without the task's context) makes an independent run; any other
    // means "the calling task's", found through AsyncLocalStorage like LangGraph.js's ensureConfig, its
    // `configurable` keys laid over the caller's (LangGraph.js keeps the caller's nesting keys then).
    const context = TASK_CONTEXT in config ? config[TASK_CONTEXT as unknown as string] : callingTask(config);
    if (context instanceof Task && !context.finished && context.error === undefined) {
      const own = TASK_CONTEXT in config ? undefined : config.configurable;
      const tracing = context.loop.run.tracing;
      // Traced: the invocation is a graph run of its own under the calling task (as on LangGraph.js).
      if (tracing !== null) return (await tracing.traceChildGraph(context, this.name, input, () => runChildGraph(this.plan, context, input, own))) as S;
      return (await runChildGraph(this.plan, context, input, own)) as S;
    }
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    let last: StateValues | undefined;
    const target: ChunkTarget = {
      push(chunk) {
        const values = chunk as StateValues;
        if (!(INTERRUPT in values)) last = values;
      },
    };
    const sink = new StreamSink(target, ["values"], true, false);
    this.checkContext(config);
    const run = this.createRun(sink, config, false, null);
    const loop = this.rootLoop(run);
    try {
      await this.drive(loop, input, config);
    } finally {
      run.dispose();
    }
    const outputKeys = this.plan.outputKeys;
    if (outputKeys !== null && last !== undefined) last = pickKeys(last, outputKeys);
    const outcome = outcomeOf(loop);
    if (outcome.status === "interrupted") return { ...last, [INTERRUPT]: outcome.interrupts } as S;
    return last as S;
  }

  /**
   * LangGraph.js's `streamEvents(input, { version: "v3" })`: the run as protocol events (see
   * stream/protocolEvents.ts); `encoding: "text/event-stream"` gives the events as SSE bytes.
   * `{ version: "v2" }`: LangChain's event stream (on_chain_start / on_chain_stream / on_chain_end for the graph
   * and each task, the events of LangChain code nodes call), each with run_id, name, tags, metadata and data
   * (as LangChain 1.x reports them); `streamOptions` filters them (includeNames, includeTags, excludeTypes, ...). v2 needs
   * `@langchain/core`, imported on the first call.
   */
  streamEvents(input: InvokeInput<U>, options: RunConfig & { version: "v3"; transformers?: readonly StreamTransformerFactory[]; encoding: "text/event-stream" }): Promise<AsyncIterable<Uint8Array>>;
  streamEvents(input: InvokeInput<U>, options: RunConfig & { version: "v3"; transformers?: readonly StreamTransformerFactory[]; encoding?: undefined }): Promise<GraphRunStream<S>>;
  streamEvents(input: InvokeInput<U>, options: RunConfig & { version: "v2"; encoding?: "text/event-stream" }, streamOptions?: Record<string, unknown>): ChainEventStream;
  streamEvents(input: InvokeInput<U>, options: RunConfig & { version: string; encoding?: string }, streamOptions?: Record<string, unknown>): Promise<GraphRunStream<S> | AsyncIterable<Uint8Array>> | ChainEventStream {
    const { version, encoding, transformers, ...config } = options as typeof options & { transformers?: readonly StreamTransformerFactory[] };
    const open = (modes: readonly StreamMode[]) => (signal: AbortSignal) => {
      const combined = config.signal ? AbortSignal.any([config.signal, signal]) : signal;
      return this.stream(input, { ...config, signal: combined, streamMode: [...modes], subgraphs: true }) as AsyncIterable<[Namespace, string, unknown]>;
    };
    // v2: LangChain's own event stream over this graph's traced run (langchain/streamEvents.ts).
    if (version === "v2") return startedAtOnce(streamGraphEvents(this as unknown as StreamableGraph, input, options as never, streamOptions));
    if (version !== "v3") throw new Error(`streamEvents: Rill supports versions "v3" (LangGraph.js's protocol events) and "v2" (LangChain's events), got ${JSON.stringify(version)}`);
    if (encoding !== undefined && encoding !== "text/event-stream") return Promise.reject(new Error(`streamEvents: unknown encoding ${JSON.stringify(encoding)} (supported: "text/event-stream")`));
    let run: GraphRunStream<S>;
    try {
      // Without a checkpointer (its own or a calling graph's) LangGraph.js still shows its in-memory checkpoints.
      const companionCheckpoints = this.plan.checkpointer === undefined && callingTask(config)?.loop.store === undefined && !hasCheckpointingSubgraph(this.plan);
      run = new GraphRunStream<S>(open(PROTOCOL_STREAM_MODES), { transformers, companionCheckpoints });
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(encoding === undefined ? run : run.encoded());
  }

  stream<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: readonly M[]; subgraphs: true }): GraphStream<NamespacedPartOf<S, M>>;
  stream<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: readonly M[]; subgraphs?: false }): GraphStream<StreamPartOf<S, M>>;
  stream<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: M; subgraphs: true }): GraphStream<[Namespace, ChunkByMode<S>[M]]>;
  stream<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: M; subgraphs?: false }): GraphStream<ChunkByMode<S>[M]>;
  stream(input: InvokeInput<U>, config: RunConfig & { streamMode?: undefined; subgraphs: true }): GraphStream<[Namespace, ChunkByMode<S>["updates"]]>;
  stream(input: InvokeInput<U>, config?: RunConfig & { streamMode?: undefined; subgraphs?: false }): GraphStream<ChunkByMode<S>["updates"]>;
  stream(input: InvokeInput<U>, config?: RunConfig): GraphStream<unknown>;
  stream(input: InvokeInput<U>, config: RunConfig = {}): GraphStream<unknown> {
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    let run: RunShared | undefined;
    const buffer = new StreamBuffer<unknown>(config.maxBufferedChunks ?? DEFAULT_MAX_BUFFERED_CHUNKS, (reason) => run?.cancel(reason));
    let settle!: { resolve(outcome: RunOutcome): void; reject(error: unknown): void };
    const outcome = new Promise<RunOutcome>((resolve, reject) => (settle = { resolve, reject }));
    // A caller that only iterates must not see an unhandled rejection: the iteration throws the error too.
    outcome.catch(() => {});
    let traceEnd: (() => Promise<void>) | undefined;
    const stream = wantsTracing(config) ? endingWithTrace(asRunStream(buffer, outcome), () => traceEnd) : asRunStream(buffer, outcome);
    const result = Promise.resolve(stream) as GraphStream<unknown>;
    (result as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> })[Symbol.asyncIterator] = () => stream;
    try {
      // Streamed inside a running node without a thread of its own: LangGraph.js's inherited config (below).
      const found = callingTask(config);
      const caller = found !== undefined && (found.loop.store !== undefined || this.plan.checkpointer === undefined) ? found : undefined;
      // (a graph called as a node's subgraph streams "values" unless told otherwise, as in LangGraph.js)
      const { modes, single } = normalizeModes(config.streamMode ?? (caller !== undefined ? "values" : undefined));
      const sink =
        caller === undefined
          ? new StreamSink(buffer, modes, single, config.subgraphs === true)
          : new CallerTeeSink(buffer, modes, single, config.subgraphs === true, caller.loop.run.sink, [...caller.loop.ns, caller.checkpointNs.slice(caller.checkpointNs.lastIndexOf("|") + 1)]);
      if (caller === undefined) this.checkContext(config);
      run = this.createRun(sink, config, false, buffer);
      const started = run;
      const loop = caller !== undefined ? this.loopInCallersThread(started, caller) : this.rootLoop(started);
      this.drive(loop, input, config, (end) => (traceEnd = end)).then(
        () => {
          started.dispose();
          settle.resolve(outcomeOf(loop));
          buffer.close();
        },
        (error) => {
          started.dispose();
          settle.reject(error);
          buffer.fail(error);
        },
      );
    } catch (error) {
      settle.reject(error);
      buffer.fail(error);
    }
    return result;
  }

  /**
   * Runs a graph of synchronous nodes as a plain iterable (Python's `for chunk in graph.stream(...)`).
   * Each superstep runs when the consumer asks for more, so memory stays bounded by one step's chunks.
   * A node returning a Promise fails the run with an error naming it.
   */
  streamSync<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: readonly M[]; subgraphs: true }): Iterable<NamespacedPartOf<S, M>>;
  streamSync<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: readonly M[]; subgraphs?: false }): Iterable<StreamPartOf<S, M>>;
  streamSync<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: M; subgraphs: true }): Iterable<[Namespace, ChunkByMode<S>[M]]>;
  streamSync<M extends StreamMode>(input: InvokeInput<U>, config: RunConfig & { streamMode: M; subgraphs?: false }): Iterable<ChunkByMode<S>[M]>;
  streamSync(input: InvokeInput<U>, config?: RunConfig & { streamMode?: undefined }): Iterable<ChunkByMode<S>["updates"]>;
  streamSync(input: InvokeInput<U>, config?: RunConfig): Iterable<unknown>;
  streamSync(input: InvokeInput<U>, config: RunConfig = {}): Iterable<unknown> {
    const graph = this;
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    return {
      *[Symbol.iterator]() {
        const { modes, single } = normalizeModes(config.streamMode);
        const buffer = new StreamBuffer<unknown>(Number.POSITIVE_INFINITY);
        const sink = new StreamSink(buffer, modes, single, config.subgraphs === true);
        graph.checkContext(config);
        const run = graph.createRun(sink, config, true, null);
        let completed = false;
        try {
          const steps = driveSteps(graph.rootLoop(run), input);
          for (;;) {
            let failure: { error: unknown } | null = null;
            let done = false;
            try {
              done = steps.next().done === true;
            } catch (error) {
              failure = { error };
            }
            // Whatever the step streamed is yielded before its error is thrown.
            for (let item = buffer.shift(); item !== undefined; item = buffer.shift()) yield item.value;
            if (failure) {
              completed = true;
              throw failure.error;
            }
            if (done) break;
          }
          completed = true;
        } finally {
          if (!completed) run.cancel(undefined);
          run.dispose();
        }
      },
    };
  }

  /** A graph with a context schema checks the run's `context` (else `configurable`) against it (contextSchema.ts). */
  private checkContext(config: RunConfig): void {
    const schema = this.plan.schemas?.context;
    if (schema !== undefined) validateContext(schema, config);
  }

  private createRun(sink: StreamSink, config: RunConfig, sync: boolean, buffer: StreamBuffer<unknown> | null): RunShared {
    const recursionLimit = config.recursionLimit ?? DEFAULT_RECURSION_LIMIT;
    if (!Number.isInteger(recursionLimit) || recursionLimit < 1) throw new Error(`recursionLimit must be a positive integer, got ${recursionLimit}`);
    // AsyncLocalStorage is entered per task only when something could look the task up without the
    // config: a chat model streaming tokens, interrupt() after an await (needs a checkpointer), or a
    // model honouring the caller's signal. Otherwise nodes are plain calls: measured in fresh processes
    // (bench/engineProfile.ts), the context costs ~0.15 µs per sync task and ~0.4 µs per async task,
    // 13-15% of a step, and once entered Node 20 keeps async hooks on for the whole process.
    const useContext = sink.root.messages || sink.root.tools || this.plan.checkpointer !== undefined || config.signal !== undefined || config.timeout !== undefined || taskLookupsUsed() || this.usesTaskContext || hasCheckpointingSubgraph(this.plan);
    const run = new RunShared(sink, config, sync, recursionLimit, buffer, useContext);
    if (this.stepTimeout !== undefined) {
      if (!(this.stepTimeout > 0)) throw new Error(`stepTimeout must be a positive number of milliseconds, got ${this.stepTimeout}`);
      run.stepTimeout = this.stepTimeout;
    }
    return run;
  }

  /** Runs the root loop; runs given LangChain callbacks are traced (langchain/runTracing.ts). */
  private drive(loop: PregelLoop, input: unknown, config: RunConfig, traceEnd?: (end: () => Promise<void>) => void): Promise<void> {
    if (!wantsTracing(config)) return driveAsync(loop, input);
    return driveTraced(loop, input, config, this.name).then((end) => (traceEnd !== undefined ? traceEnd(end) : end()));
  }

  private rootLoop(run: RunShared): PregelLoop {
    // A config naming a subgraph's checkpoint (`checkpoint_ns` from its history or state): a persistent subgraph's
    // ("<node>", no task id) replays the parent checkpoint it was made under and restarts the subgraph there
    // (pregel/begin.ts); one whose namespace has task ids replays that subgraph in its own namespace (the
    // chunks LangGraph.js streams for it).
    const checkpointNs = run.config.configurable?.checkpoint_ns;
    if (typeof checkpointNs === "string" && checkpointNs.includes(":")) {
      const plan = planAtNamespace(this.plan, checkpointNs);
      if (plan !== undefined) {
        const saver = plan.checkpointer ?? this.plan.checkpointer;
        const root = this.threadStore(run.config, run.sync);
        const store = saver && root ? new ThreadStore(saver, root.threadId, checkpointNs, run.sync, root.runConfigurable) : undefined;
        return new PregelLoop({ run, plan, ns: checkpointNs.split("|"), checkpointNs, streams: run.sink.root, store });
      }
    }
    return new PregelLoop({ run, plan: this.plan, ns: [], checkpointNs: "", streams: run.sink.root, store: this.threadStore(run.config, run.sync) });
  }

  /**
   * stream() inside a node without a thread of its own: like LangGraph.js (whose config comes from the
   * caller's), the graph keeps its checkpoints in the caller's thread, under the calling task's namespace.
   * Its chunks go to this stream and into the caller's (stream/callerTeeSink.ts).
   */
  private loopInCallersThread(run: RunShared, caller: Task): PregelLoop {
    const parentStore = caller.loop.store;
    const saver = this.plan.checkpointer ?? parentStore?.saver;
    const checkpointNs = caller.checkpointNs;
    const store = saver && parentStore ? new ThreadStore(saver, parentStore.threadId, checkpointNs, run.sync, parentStore.runConfigurable) : undefined;
    return new PregelLoop({ run, plan: this.plan, ns: [], checkpointNs, streams: run.sink.root, store });
  }

  private threadStore(config: RunConfig, sync: boolean): ThreadStore | undefined {
    const saver = this.plan.checkpointer;
    if (!saver) return undefined;
    const threadId = config.configurable?.thread_id;
    if (threadId === undefined || threadId === null || threadId === "") {
      throw new Error(
        'Failed to put checkpoint. The passed RunnableConfig is missing a required "thread_id" field in its "configurable" property. When using a checkpointer, you must pass a "thread_id" so the checkpointer knows which conversation thread to persist state for. Example: graph.stream(input, { configurable: { thread_id: "my-thread-id" } })',
      );
    }
    return new ThreadStore(saver, String(threadId), "", sync, config.configurable);
  }

  // ------------------------------------------------------------------ thread state

  /** The thread's latest state (or the checkpoint named by `checkpoint_id`). */
  async getState(config: RunConfig, options: { subgraphs?: boolean } = {}): Promise<StateSnapshot<S>> {
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    const saver = this.requireSaver();
    const snapshot = await this.snapshotAt(saver, config);
    const plan = planAtNamespace(this.plan, (config.configurable?.checkpoint_ns as string | undefined) ?? "");
    if (plan !== undefined) await attachSubgraphStates(snapshot, plan, saver, options.subgraphs === true);
    return snapshot;
  }

  private async snapshotAt(saver: BaseCheckpointSaver, config: RunConfig): Promise<StateSnapshot<S>> {
    const threadId = config.configurable?.thread_id;
    const checkpointNs = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    const tuple = await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: config.configurable?.checkpoint_id } });
    if (!tuple) return { values: {} as S, next: [], config: { configurable: { ...config.configurable } }, tasks: [] };
    const snapshot = snapshotOf(tuple, config.configurable?.checkpoint_id === undefined && checkpointNs === "" ? this.plan : undefined) as StateSnapshot<S>;
    const { thread_id, checkpoint_id, checkpoint_ns, checkpoint_map } = snapshot.config.configurable;
    snapshot.config = { configurable: checkpoint_map === undefined ? { thread_id, checkpoint_id, checkpoint_ns } : { thread_id, checkpoint_id, checkpoint_ns, checkpoint_map } };
    return snapshot;
  }

  /** The thread's checkpoints, newest first. */
  async *getStateHistory(config: RunConfig, options: { limit?: number; before?: RunConfig; filter?: Record<string, unknown> } = {}): AsyncGenerator<StateSnapshot<S>> {
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    const saver = this.requireSaver();
    const configurable = { thread_id: config.configurable?.thread_id, checkpoint_ns: (config.configurable?.checkpoint_ns as string | undefined) ?? "" };
    const before = options.before?.configurable ? { configurable: { ...options.before.configurable } } : undefined;
    // Tasks running a subgraph name its checkpoints (`state`), and a subgraph's checkpoints name their ancestors' (`checkpoint_map`), as in LangGraph.js.
    const plan = planAtNamespace(this.plan, configurable.checkpoint_ns);
    for await (const tuple of saver.list({ configurable }, { limit: options.limit, before, filter: options.filter })) {
      const snapshot = snapshotOf(tuple) as StateSnapshot<S>;
      if (plan !== undefined) await attachSubgraphStates(snapshot, plan, saver, false);
      yield snapshot;
    }
  }

  /**
   * Writes `values` into the thread's state as if node `asNode` had returned them (default: the node
   * that wrote last), and schedules what follows that node. Returns the new checkpoint's config.
   */
  async updateState(
    config: RunConfig,
    // With asNode "__copy__", a list of [values, asNode] makes them the fork's task results (updateState.ts).
    values: U | Record<string, unknown> | ReadonlyArray<readonly [U | Record<string, unknown> | null, N | typeof START | string]> | null,
    asNode?: N | typeof START | string,
  ): Promise<{ configurable: Record<string, unknown> }> {
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    this.requireSaver();
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? "";
    if (ns !== "") return this.updateSubgraphState(config, ns, values, asNode);
    const run = this.createRun(new StreamSink({ push() {} }, [], false, false), config, false, null);
    const store = this.threadStore(config, false)!;
    const loop = new PregelLoop({ run, plan: this.plan, ns: [], checkpointNs: "", streams: NO_MODES, store });
    const loaded = await store.load(config.configurable?.checkpoint_id as string | undefined);
    const result = await loop.applyUpdate(loaded, (values ?? null) as StateValues | null, asNode);
    await loop.finish();
    run.dispose();
    return result as { configurable: Record<string, unknown> };
  }

  /** updateState on a subgraph's checkpoint (config from getState/history with its checkpoint_ns): made with the subgraph's channels and edges. */
  private async updateSubgraphState(config: RunConfig, ns: string, values: unknown, asNode: string | undefined): Promise<{ configurable: Record<string, unknown> }> {
    const plan = subgraphPlanAt(this.plan, ns);
    this.threadStore(config, false);
    const threadId = String(config.configurable!.thread_id);
    const run = this.createRun(new StreamSink({ push() {} }, [], false, false), config, false, null);
    const store = new ThreadStore(this.plan.checkpointer!, threadId, ns, false, config.configurable);
    const loop = new PregelLoop({ run, plan, ns: ns.split("|"), checkpointNs: ns, streams: NO_MODES, store });
    const loaded = await store.load(config.configurable?.checkpoint_id as string | undefined);
    const parents = (loaded?.metadata?.parents ?? {}) as Record<string, string>;
    loop.detachedParents = parents;
    const result = await loop.applyUpdate(loaded, (values ?? null) as StateValues | null, asNode);
    await loop.finish();
    run.dispose();
    const checkpointId = result.configurable?.checkpoint_id as string;
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpointId, checkpoint_map: { ...parents, [ns]: checkpointId } } };
  }

  /**
   * Several updateState calls as supersteps: each superstep's updates (`{ values, asNode }`) land in one
   * checkpoint, one superstep after the other. Returns the last checkpoint's config.
   */
  async bulkUpdateState(
    config: RunConfig,
    supersteps: ReadonlyArray<{ updates: ReadonlyArray<{ values: U | Record<string, unknown> | null; asNode?: N | typeof START | string }> }>,
  ): Promise<{ configurable: Record<string, unknown> }> {
    if (supersteps.length === 0) throw new Error("No supersteps provided");
    if (this.bound !== null) config = mergeRunConfig(this.bound, config);
    this.requireSaver();
    let current: RunConfig = config;
    let result: { configurable: Record<string, unknown> } | undefined;
    for (const superstep of supersteps) {
      const run = this.createRun(new StreamSink({ push() {} }, [], false, false), current, false, null);
      const store = this.threadStore(current, false)!;
      const loop = new PregelLoop({ run, plan: this.plan, ns: [], checkpointNs: "", streams: NO_MODES, store });
      const loaded = await store.load(current.configurable?.checkpoint_id as string | undefined);
      const updates = superstep.updates.map((u) => ({ values: (u.values ?? null) as StateValues | null, asNode: u.asNode as string | undefined }));
      const applied = await loop.applyUpdates(loaded, updates);
      result = { configurable: { ...applied.configurable } };
      await loop.finish();
      run.dispose();
      current = { ...config, configurable: { ...config.configurable, ...result.configurable } };
    }
    return result!;
  }

  private requireSaver() {
    const saver = this.plan.checkpointer;
    if (!saver) throw new GraphValueError("No checkpointer set", { lc_error_code: "MISSING_CHECKPOINTER" });
    return saver;
  }

  /**
   * Each node on its own (LangGraph.js's `graph.nodes`): `graph.nodes.one.invoke(input, config?)` runs that
   * node's function (or subgraph) on `input` and resolves with what it returned, outside any run.
   */
  get nodes(): Record<string, CompiledNode> {
    const out: Record<string, CompiledNode> = {};
    const add = (node: PlanNode): void => {
      out[node.name] = {
        invoke: async (input, config = {}) => {
          if (node.subgraph !== null) return (node.subgraph as unknown as CompiledStateGraph).invoke(input as never, config);
          const nodeConfig = { ...config, configurable: { ...config.configurable }, metadata: { ...config.metadata }, writer: () => {} };
          return node.fn!(input, nodeConfig);
        },
        // The node's options with setNodeDefaults' applied (LangGraph.js's compiled node fields).
        retryPolicy: node.retryPolicy,
        cachePolicy: node.cachePolicy,
        timeout: node.timeout,
        metadata: node.metadata,
        errorHandlerNode: node.errorHandler?.name,
      };
    };
    for (const node of this.plan.nodeList) {
      add(node);
      if (node.errorHandler !== undefined && !(node.errorHandler.name in out)) add(node.errorHandler);
    }
    return out;
  }

  /** Empties the node cache of `compile({ cache })` (every namespace). */
  async clearCache(): Promise<void> {
    await this.plan.cache?.clear([]);
  }

  /** The compiled graphs used as nodes, as `[name, graph]` (nested ones as `parent|child` with `recurse`). */
  *getSubgraphs(namespace?: string, recurse?: boolean): Generator<[string, CompiledStateGraph<any, any, any>]> {
    for (const node of this.plan.nodeList) {
      if (node.subgraph === null) continue;
      const name = node.name;
      if (namespace !== undefined && !namespace.startsWith(name)) continue;
      const graph = node.subgraph as unknown as CompiledStateGraph<any, any, any>;
      if (name === namespace) {
        yield [name, graph];
        return;
      }
      if (namespace === undefined) yield [name, graph];
      if (recurse) {
        const rest = namespace === undefined ? undefined : namespace.slice(name.length + 1);
        for (const [childName, child] of graph.getSubgraphs(rest, recurse)) yield [`${name}|${childName}`, child];
      }
    }
  }

  async *getSubgraphsAsync(namespace?: string, recurse?: boolean): AsyncGenerator<[string, CompiledStateGraph<any, any, any>]> {
    yield* this.getSubgraphs(namespace, recurse);
  }

  /** getGraph(), as a promise (LangGraph.js's async form). */
  async getGraphAsync(config?: { xray?: boolean | number }): Promise<DrawableGraph & { drawMermaid(options?: MermaidOptions): string }> {
    return this.getGraph(config);
  }

  /**
   * The graph's structure for drawing: nodes (with __start__ and __end__) and edges. With `xray` (true, or a
   * depth), subgraph nodes are drawn as their own nodes, `subgraph:node`.
   */
  getGraph(config?: { xray?: boolean | number }): DrawableGraph & { drawMermaid(options?: MermaidOptions): string } {
    const own = { nodes: this.drawable.nodes.map((n) => ({ ...n })), edges: this.drawable.edges.map((e) => ({ ...e })) };
    const xray = config?.xray;
    if (!xray) return withDrawMethods(own);
    const deeper = typeof xray === "number" ? xray - 1 : xray;
    const subgraphs = new Map(this.getSubgraphs());
    const drawable = new Set([...subgraphs].filter(([, graph]) => graph instanceof CompiledStateGraph).map(([name]) => name));
    return withDrawMethods(expandSubgraphs(own, drawable, (name) => subgraphs.get(name)!.getGraph({ xray: deeper })));
  }
}

/**
 * The tasks of `snapshot` that run a subgraph get `state`: with `subgraphs`, the subgraph's own snapshot
 * (recursively, when it has checkpoints); otherwise the config that names it (LangGraph.js's shape).
 */
async function attachSubgraphStates(snapshot: StateSnapshot<any>, plan: GraphPlan, saver: BaseCheckpointSaver, subgraphs: boolean): Promise<void> {
  const threadId = snapshot.config.configurable.thread_id as string | undefined;
  const parentNs = (snapshot.config.configurable.checkpoint_ns as string | undefined) ?? "";
  for (const task of snapshot.tasks) {
    const child = plan.nodes.get(task.name)?.subgraph as CompiledStateGraph | null | undefined;
    if (!child) continue;
    const own = child.plan.persistent ? task.name : `${task.name}:${task.id}`;
    const ns = parentNs === "" ? own : `${parentNs}|${own}`;
    const named = { configurable: { thread_id: threadId, checkpoint_ns: ns } };
    if (!subgraphs) {
      task.state = named;
      continue;
    }
    const tuple = await saver.getTuple(named);
    if (tuple === undefined) continue;
    const state = snapshotOf(tuple);
    const { thread_id, checkpoint_id, checkpoint_ns } = state.config.configurable;
    // A subgraph's config names its ancestors' checkpoints too, as LangGraph.js shows it.
    const checkpoint_map = { ...(tuple.metadata?.parents ?? {}), [ns]: checkpoint_id };
    state.config = { configurable: { thread_id, checkpoint_id, checkpoint_ns, checkpoint_map } };
    await attachSubgraphStates(state, child.plan, saver, true);
    task.state = state;
  }
}

/** A subgraph checkpoint's config with `checkpoint_map`: its ancestors' checkpoint ids (metadata.parents) and its own. */
function withCheckpointMap(config: { configurable?: Record<string, unknown> }, metadata: CheckpointMetadata | undefined): { configurable: Record<string, unknown> } {
  const { checkpoint_ns, checkpoint_id } = config.configurable ?? {};
  return { configurable: { ...config.configurable, checkpoint_map: { ...(metadata?.parents ?? {}), [checkpoint_ns as string]: checkpoint_id } } };
}

function hasCheckpointingSubgraph(plan: GraphPlan): boolean {
  for (const node of plan.nodeList) if (node.subgraph && (node.subgraph.plan.checkpointer || hasCheckpointingSubgraph(node.subgraph.plan))) return true;
  return false;
}

function normalizeModes(streamMode: RunConfig["streamMode"]): { modes: StreamMode[]; single: boolean } {
  const single = !Array.isArray(streamMode);
  const modes = (streamMode === undefined ? ["updates"] : single ? [streamMode] : [...(streamMode as ModeList)]) as StreamMode[];
  for (const mode of modes) {
    if (!STREAM_MODES.includes(mode)) {
      throw new Error(`Unknown stream mode "${String(mode)}": expected one of ${STREAM_MODES.join(", ")}`);
    }
  }
  return { modes, single };
}

function asRunStream<T>(buffer: StreamBuffer<T>, outcome: Promise<RunOutcome>): RunStream<T> {
  return {
    outcome,
    next: () => buffer.next(),
    return: () => buffer.return(),
    throw: (error?: unknown) => buffer.throw(error),
    cancel: (reason?: unknown) => void buffer.return(reason),
    get bufferedCount() {
      return buffer.size;
    },
    get peakBuffered() {
      return buffer.peakBuffered;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * A checkpoint as getState() shows it. For the latest checkpoint (`plan` given), the writes of tasks
 * that finished in an unfinished step are applied to the values and those tasks leave `next`, as in
 * LangGraph.js.
 */
function snapshotOf(tuple: CheckpointTuple, plan?: GraphPlan): StateSnapshot {
  const { metadata, config, parentConfig } = tuple;
  const pendingWrites = tuple.pendingWrites ?? [];
  const checkpoint = readCheckpoint(tuple.checkpoint);
  let values = checkpoint.state;
  let next = checkpoint.nextTasks;
  if (plan) {
    const written = new Map<string, Array<[string, unknown]>>();
    for (const [taskId, channel, value] of pendingWrites) {
      const writes = writesOf(channel, value);
      if (writes !== undefined) written.set(taskId, writes);
    }
    if (written.size > 0) {
      const done = next.filter((t) => written.has(t.id));
      done.sort((a, b) => {
        const pa = a.path[0] === PULL ? 0 : 1;
        const pb = b.path[0] === PULL ? 0 : 1;
        if (pa !== pb) return pa - pb;
        return pa === 0 ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : (a.path[1] as number) - (b.path[1] as number);
      });
      values = plan.channels.apply(values, done.map((t) => written.get(t.id)!));
      next = next.filter((t) => !written.has(t.id));
    }
  }
  const tasks: StateSnapshot["tasks"] = checkpoint.nextTasks.map((t) => {
    const entry: StateSnapshot["tasks"][number] = { id: t.id, name: t.name, path: t.path, interrupts: [] };
    for (const [taskId, channel, value] of pendingWrites) {
      if (taskId !== t.id) continue;
      if (channel === INTERRUPT) entry.interrupts = value as Interrupt[];
      else if (channel === ERROR) entry.error = value as TaskError;
      else {
        const writes = writesOf(channel, value);
        if (writes !== undefined && writes.length > 0) entry.result = resultOfWrites(writes);
      }
    }
    return entry;
  });
  const snapshot: StateSnapshot = {
    values,
    next: next.map((t) => t.name),
    tasks,
    // The saver keeps no thread_id in metadata; snapshots show the thread's (as LangGraph.js does).
    metadata: metadata && config.configurable?.thread_id ? { ...metadata, thread_id: config.configurable.thread_id } : metadata,
    config: config.configurable?.checkpoint_ns ? withCheckpointMap(config, metadata) : { configurable: { ...config.configurable } },
    createdAt: tuple.checkpoint.ts,
  };
  if (parentConfig) snapshot.parentConfig = { configurable: { ...parentConfig.configurable } };
  return snapshot;
}

/** The plan of the subgraph a checkpoint namespace names ("a:<task>|b:<task>": node a's subgraph's node b's subgraph). */
function subgraphPlanAt(root: GraphPlan, ns: string): GraphPlan {
  let plan = root;
  for (const segment of ns.split("|")) {
    const name = segment.split(":")[0];
    const node = plan.nodes.get(name);
    if (node?.subgraph == null) throw new InvalidUpdateError(`Checkpoint namespace "${ns}": "${name}" is not a subgraph node of this graph`);
    plan = node.subgraph.plan;
  }
  return plan;
}
