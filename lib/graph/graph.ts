// `Graph`: LangGraph.js's plain graph, without a state schema. The run's input goes to the first node,
// each node receives what the node before it returned, and the run's result is what the last node
// returned: `new Graph().addNode("add_one", (x) => x + 1).addEdge(START, "add_one").addEdge("add_one", END)`.
// It runs as a StateGraph with one hidden last-value key; its streams show the bare values.
import { LastValue, type Channel } from "./channels/channel";
import { isCommand, type Command } from "./command";
import { CompiledStateGraph, DEFAULT_RECURSION_LIMIT, type GraphStream, type RunStream } from "./compiledGraph";
import { GraphRecursionError } from "./errors";
import { INTERRUPT, type END, type START } from "./constants";
import type { NodeConfig, RunConfig } from "./runConfig";
import { StateGraph, type CompileOptions, type NodeOptions } from "./stateGraph";
import type { StreamMode } from "./types";
import { streamGraphEvents, type ChainEventStream, type StreamEventsOptions } from "./langchain/streamEvents";
import { startedAtOnce } from "./langchain/eventsStartedAtOnce";

/** The hidden key that carries the value from node to node. */
const VALUE = "__root__";

type ValueState = Record<typeof VALUE, unknown>;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as PromiseLike<unknown>).then === "function";
}

function asUpdate(output: unknown): unknown {
  return isCommand(output) ? output : { [VALUE]: output };
}

export class Graph<N extends string = typeof START> {
  private readonly builder = new StateGraph({ [VALUE]: new LastValue() } as Record<string, Channel>);

  addNode<K extends string>(name: K, action: (input: any, config: NodeConfig) => unknown, options?: NodeOptions): Graph<N | K> {
    this.builder.addNode(
      name,
      (state: ValueState, config: NodeConfig) => {
        const output = action(state[VALUE], config);
        return (isPromiseLike(output) ? Promise.resolve(output).then(asUpdate) : asUpdate(output)) as never;
      },
      options,
    );
    return this as unknown as Graph<N | K>;
  }

  /** Node -> the nodes (or START) whose plain edges lead to it: LangGraph.js's triggers (the source's channel). */
  private readonly sources = new Map<string, string[]>();

  addEdge(start: N | typeof START, end: N | typeof END): this {
    this.builder.addEdge(start as never, end as never);
    const list = this.sources.get(end) ?? [];
    list.push(start);
    this.sources.set(end, list);
    return this;
  }

  addConditionalEdges(source: N | typeof START, path: (input: any, config: NodeConfig) => unknown, pathMap?: Record<string, string> | readonly string[]): this {
    this.builder.addConditionalEdges(source as never, ((state: ValueState, config: NodeConfig) => path(state[VALUE], config)) as never, pathMap);
    return this;
  }

  compile(options: CompileOptions = {}): CompiledGraph<N> {
    const compiled = this.builder.compile(options) as unknown as CompiledStateGraph;
    compiled.plan.plainValueKey = VALUE;
    compiled.plan.directInput = true;
    // A node one plain edge leads to is triggered by its source's channel, as in LangGraph.js's Graph.
    for (const node of compiled.plan.nodeList) {
      const sources = this.sources.get(node.name);
      if (sources?.length === 1) node.pullTriggers = Object.freeze([sources[0]]) as unknown as string[];
    }
    return new CompiledGraph<N>(compiled);
  }
}

export class CompiledGraph<N extends string = string> {
  declare readonly NodeNames: N;

  constructor(private readonly inner: CompiledStateGraph) {}

  get stepTimeout(): number | undefined {
    return this.inner.stepTimeout;
  }

  set stepTimeout(value: number | undefined) {
    this.inner.stepTimeout = value;
  }

  get checkpointer() {
    return this.inner.checkpointer;
  }

  /** Runs to the end and resolves with what the last node returned. */
  async invoke(input: unknown, config?: RunConfig): Promise<any> {
    const out = (await this.inner.invoke(wrapInput(input) as never, engineConfig(config)).catch((error: unknown) => {
      throw userError(error, config);
    })) as Record<string, unknown> | undefined;
    if (out !== undefined && INTERRUPT in out) return { [INTERRUPT]: out[INTERRUPT] };
    return out?.[VALUE];
  }

  async batch(inputs: unknown[], config?: RunConfig | RunConfig[], options?: { returnExceptions?: boolean; maxConcurrency?: number }): Promise<unknown[]> {
    const engine = Array.isArray(config) ? config.map(engineConfig) : engineConfig(config);
    const results = await this.inner.batch(inputs.map(wrapInput) as never[], engine, options).catch((error: unknown) => {
      throw userError(error, Array.isArray(config) ? undefined : config);
    });
    return results.map((out, i) => (out instanceof Error ? userError(out, Array.isArray(config) ? config[i] : config) : (out as Record<string, unknown> | undefined)?.[VALUE]));
  }

  /** The inner run's stream with bare values in "values" and "updates" chunks. */
  stream(input: unknown, config: RunConfig = {}): GraphStream<unknown> {
    const modes: StreamMode[] = config.streamMode === undefined ? ["updates"] : Array.isArray(config.streamMode) ? (config.streamMode as StreamMode[]) : [config.streamMode as StreamMode];
    const single = !Array.isArray(config.streamMode);
    const subgraphs = config.subgraphs === true;
    const streaming = this.inner.stream(wrapInput(input) as never, engineConfig(config));
    const mapped = streaming.then((inner) => mapStream(inner, (item) => mapItem(item, single, subgraphs, modes[0]), (error) => userError(error, config)));
    (mapped as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> })[Symbol.asyncIterator] = () => {
      let iterator: AsyncIterator<unknown> | undefined;
      return {
        next: async () => (iterator ??= (await mapped)[Symbol.asyncIterator]()).next(),
        return: async () => (iterator ??= (await mapped)[Symbol.asyncIterator]()).return?.() ?? { done: true, value: undefined },
      };
    };
    return mapped as GraphStream<unknown>;
  }

  get name(): string {
    return this.inner.name;
  }

  /**
   * LangChain's event stream (`{ version: "v2" }`) over this graph's run, its chunks the bare values (as
   * `stream` gives them). LangGraph.js's protocol events ("v3") are not offered for the plain Graph.
   */
  streamEvents(input: unknown, options: StreamEventsOptions, streamOptions?: Record<string, unknown>): ChainEventStream {
    if (options?.version !== "v2") throw new Error(`Graph.streamEvents: the plain Graph supports version "v2" (LangChain's events), got ${JSON.stringify(options?.version)}`);
    return startedAtOnce(streamGraphEvents(this, input, options, streamOptions));
  }

  getState(config: RunConfig) {
    return this.inner.getState(config);
  }

  getStateHistory(config: RunConfig, options?: Parameters<CompiledStateGraph["getStateHistory"]>[1]) {
    return this.inner.getStateHistory(config, options);
  }

  updateState(config: RunConfig, value: unknown, asNode?: string) {
    return this.inner.updateState(config, value === null ? null : { [VALUE]: value }, asNode);
  }

  withConfig(config: RunConfig): CompiledGraph<N> {
    return new CompiledGraph<N>(this.inner.withConfig(config));
  }

  getGraph(config?: { xray?: boolean | number }) {
    return this.inner.getGraph(config);
  }
}

/**
 * The inner graph's config: LangGraph.js's Graph has no START step, and its recursion limit counts its nodes'
 * steps only; the engine's loop counts one more step for a graph without one (plan.directInput), so one more.
 */
function engineConfig(config: RunConfig | undefined): RunConfig {
  return { ...config, recursionLimit: (config?.recursionLimit ?? DEFAULT_RECURSION_LIMIT) + 1 };
}

/** The engine's GraphRecursionError names the engine's limit; the caller set one less. */
function userError(error: unknown, config: RunConfig | undefined): unknown {
  if (!(error instanceof GraphRecursionError)) return error;
  const limit = config?.recursionLimit ?? DEFAULT_RECURSION_LIMIT;
  error.message = error.message.replace(`Recursion limit of ${limit + 1} `, `Recursion limit of ${limit} `);
  return error;
}

function wrapInput(input: unknown): unknown {
  return input === null || input === undefined || isCommand(input) ? (input as Command | null) : { [VALUE]: input };
}

/** A chunk of `mode` with the hidden key taken off. */
function bare(mode: StreamMode, chunk: unknown): unknown {
  if (chunk === null || typeof chunk !== "object") return chunk;
  const record = chunk as Record<string, unknown>;
  if (mode === "values") return INTERRUPT in record ? record : record[VALUE];
  if (mode === "updates") {
    const out: Record<string, unknown> = {};
    for (const [node, update] of Object.entries(record)) {
      if (node === INTERRUPT || update === null || typeof update !== "object") out[node] = update;
      else if (Array.isArray(update)) out[node] = update.map((u) => (u as Record<string, unknown>)?.[VALUE]);
      else out[node] = VALUE in (update as object) ? (update as Record<string, unknown>)[VALUE] : update;
    }
    return out;
  }
  if (mode === "tasks") return bareTask(record);
  if (mode === "debug" && (record.type === "task" || record.type === "task_result")) return { ...record, payload: bareTask(record.payload as Record<string, unknown>) };
  return chunk;
}

/** A task payload as LangGraph.js's Graph shows it: the bare input, the result under the node's name. */
function bareTask(payload: Record<string, unknown>): Record<string, unknown> {
  const out = { ...payload };
  const input = payload.input as Record<string, unknown> | undefined;
  if (input !== null && typeof input === "object" && VALUE in input) out.input = input[VALUE];
  const result = payload.result as Record<string, unknown> | undefined;
  if (result !== null && typeof result === "object" && VALUE in result) out.result = { [String(payload.name)]: result[VALUE] };
  return out;
}

function mapItem(item: unknown, single: boolean, subgraphs: boolean, onlyMode: StreamMode): unknown {
  if (single && !subgraphs) return bare(onlyMode, item);
  const tuple = item as unknown[];
  if (single) return [tuple[0], bare(onlyMode, tuple[1])];
  if (!subgraphs) return [tuple[0], bare(tuple[0] as StreamMode, tuple[1])];
  return [tuple[0], tuple[1], bare(tuple[1] as StreamMode, tuple[2])];
}

function mapStream(inner: RunStream<unknown>, map: (item: unknown) => unknown, mapError: (error: unknown) => unknown): RunStream<unknown> {
  return {
    next: async () => {
      let step: IteratorResult<unknown>;
      try {
        step = await inner.next();
      } catch (error) {
        throw mapError(error);
      }
      return step.done ? step : { done: false, value: map(step.value) };
    },
    return: (value?: unknown) => inner.return!(value),
    throw: (error?: unknown) => inner.throw!(error),
    cancel: (reason?: unknown) => inner.cancel(reason),
    outcome: inner.outcome,
    get bufferedCount() {
      return inner.bufferedCount;
    },
    get peakBuffered() {
      return inner.peakBuffered;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
