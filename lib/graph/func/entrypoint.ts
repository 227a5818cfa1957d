// `entrypoint(options, fn)`: LangGraph.js's functional API. The function becomes a one-node graph on
// Rill's engine: its input, its return value and what it saves for the next run (`getPreviousState()`,
// `entrypoint.final({ value, save })`) are three state keys, and the graph's results, streams and
// snapshots show the function's values instead of that state (see EntrypointGraph).
import type { BaseCheckpointSaver } from "../checkpoint/base";
import { LastValue, type Channel } from "../channels/channel";
import { isCommand } from "../command";
import type { CompiledStateGraph, StateSnapshot } from "../compiledGraph";
import { END, INTERRUPT, START } from "../constants";
import { isInterrupted } from "../interrupt";
import { currentTask } from "../pregel/currentTask";
import { Task } from "../pregel/task";
import type { NodeConfig, RunConfig } from "../runConfig";
import { StateGraph } from "../stateGraph";
import type { StateValues, StreamMode } from "../types";
import { functionalOf, type TaskCache } from "./functionalState";
import { callingGraphTask, functionalStateOf, isGeneratorFunction } from "./task";
import type { TimeoutPolicy } from "../nodeOptions/timeoutPolicy";
import { callingTask } from "../pregel/callingTask";

/** LangGraph.js's channel name for what an entrypoint saved (`checkpoint.channel_values.__previous__`). */
export const PREVIOUS = "__previous__";
const INPUT_KEY = "__fn_input__";
const OUTPUT_KEY = "__fn_output__";

export interface EntrypointOptions {
  name: string;
  checkpointer?: BaseCheckpointSaver | boolean;
  store?: object;
  /** A cache (LangGraph's `InMemoryCache` or any BaseCache) for the results of tasks with a `cachePolicy`. */
  cache?: TaskCache;
  /** Bounds each attempt of the entrypoint's function as a node's `timeout` does (NodeTimeoutError; its `config.signal` aborts). */
  timeout?: number | TimeoutPolicy;
}

/** `entrypoint.final({ value, save })`: return `value`, and save `save` for the thread's next run. */
export class EntrypointFinal<Value, Save> {
  readonly lg_name = "EntrypointFinal";
  constructor(
    readonly value: Value,
    readonly save: Save,
  ) {}
}

type Unwrapped<T> = T extends EntrypointFinal<infer V, unknown> ? V : T;
type EntrypointFn<Input, Output> = (input: Input, config: NodeConfig) => Output | Promise<Output>;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

function toUpdate(value: unknown): StateValues {
  if (value instanceof EntrypointFinal) return { [OUTPUT_KEY]: value.value, [PREVIOUS]: value.save };
  return { [OUTPUT_KEY]: value, [PREVIOUS]: value };
}

const SKIP = Symbol("skip");

/** The function's view of one root chunk: its return value instead of the graph's state. */
function rootChunk(name: string, mode: StreamMode, chunk: unknown): unknown {
  if (chunk === null || typeof chunk !== "object") return chunk;
  const values = chunk as StateValues;
  if (mode === "updates") {
    const update = values[name] as StateValues | undefined;
    if (update !== null && typeof update === "object" && OUTPUT_KEY in update) return { ...values, [name]: update[OUTPUT_KEY] };
    return chunk;
  }
  if (mode === "values") {
    if (isInterrupted(values)) return { [INTERRUPT]: values[INTERRUPT] };
    return values[OUTPUT_KEY] === undefined ? SKIP : values[OUTPUT_KEY];
  }
  return chunk;
}

function chunkMapper(name: string, config: RunConfig): (item: unknown) => unknown {
  const streamMode = (config as { streamMode?: StreamMode | StreamMode[] }).streamMode;
  const single = !Array.isArray(streamMode);
  const onlyMode: StreamMode = single ? (streamMode ?? "updates") : "updates";
  const subgraphs = (config as { subgraphs?: boolean }).subgraphs === true;
  return (item) => {
    if (subgraphs) {
      const tuple = item as unknown[];
      if ((tuple[0] as unknown[]).length > 0) return item;
      if (single) {
        const mapped = rootChunk(name, onlyMode, tuple[1]);
        return mapped === SKIP ? SKIP : [tuple[0], mapped];
      }
      const mapped = rootChunk(name, tuple[1] as StreamMode, tuple[2]);
      return mapped === SKIP ? SKIP : [tuple[0], tuple[1], mapped];
    }
    if (single) return rootChunk(name, onlyMode, item);
    const [mode, chunk] = item as [StreamMode, unknown];
    const mapped = rootChunk(name, mode, chunk);
    return mapped === SKIP ? SKIP : [mode, mapped];
  };
}

/** What `entrypoint()` returns: a graph whose input, result, streams and state are the function's. */
export class EntrypointGraph<Input = unknown, Output = unknown> {
  readonly lg_is_pregel = true;
  constructor(
    readonly name: string,
    /** The one-node graph the function runs as (engine-internal). */
    readonly graph: CompiledStateGraph<StateValues, StateValues>,
    private readonly cache?: TaskCache,
  ) {}

  private input(input: Input | unknown): unknown {
    if (input === null || input === undefined || isCommand(input)) return input;
    return { [INPUT_KEY]: input, [OUTPUT_KEY]: undefined };
  }

  withConfig(config: RunConfig): EntrypointGraph<Input, Output> {
    return new EntrypointGraph(this.name, this.graph.withConfig(config), this.cache);
  }

  async invoke(input: Input | unknown, config?: RunConfig): Promise<Output> {
    const result = (await this.graph.invoke(this.input(input) as StateValues, config)) as StateValues;
    if (isInterrupted(result)) return { [INTERRUPT]: result[INTERRUPT] } as Output;
    return result[OUTPUT_KEY] as Output;
  }

  /** Chunks as LangGraph.js streams an entrypoint's: "updates" `{ [name]: returned }`, "values" the returned value. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  stream(input: Input | unknown, config: RunConfig = {}): Promise<AsyncIterableIterator<any>> & AsyncIterable<any> {
    // Streamed inside a running node without a thread: "values" unless told otherwise (the engine's default there).
    if (config.streamMode === undefined && callingTask(config) !== undefined) config = { ...config, streamMode: "values" };
    const inner = this.graph.stream(this.input(input) as StateValues, config);
    const map = chunkMapper(this.name, config);
    async function* mapped() {
      for await (const item of inner) {
        const out = map(item);
        if (out !== SKIP) yield out;
      }
    }
    const iterator = mapped();
    return Object.assign(Promise.resolve(iterator), { [Symbol.asyncIterator]: () => iterator });
  }

  async getState(config: RunConfig, options?: { subgraphs?: boolean }): Promise<StateSnapshot<Output>> {
    return this.snapshot(await this.graph.getState(config, options));
  }

  async *getStateHistory(config: RunConfig, options?: { limit?: number; before?: RunConfig; filter?: Record<string, unknown> }): AsyncGenerator<StateSnapshot<Output>> {
    for await (const snapshot of this.graph.getStateHistory(config, options)) yield this.snapshot(snapshot);
  }

  /** Sets what the next run's `getPreviousState()` returns (as LangGraph.js: written as the function's result). */
  updateState(config: RunConfig, values: unknown, asNode?: string): Promise<{ configurable: Record<string, unknown> }> {
    return this.graph.updateState(config, { [OUTPUT_KEY]: values, [PREVIOUS]: values }, asNode ?? this.name);
  }

  /** Empties the tasks' cache (the entrypoint's `cache` option). */
  async clearCache(): Promise<void> {
    await this.cache?.clear([]);
  }

  getGraph() {
    return this.graph.getGraph();
  }

  private snapshot(snapshot: StateSnapshot<StateValues>): StateSnapshot<Output> {
    return { ...snapshot, values: (snapshot.values as StateValues)[OUTPUT_KEY] as Output };
  }
}

function createEntrypoint<Input, Output>(optionsOrName: EntrypointOptions | string, fn: EntrypointFn<Input, Output>): EntrypointGraph<Input, Unwrapped<Awaited<Output>>> {
  const options: EntrypointOptions = typeof optionsOrName === "string" ? { name: optionsOrName } : optionsOrName;
  if (typeof options?.name !== "string" || options.name === "") throw new Error("entrypoint(): a name is required (entrypoint({ name, checkpointer }, fn))");
  if (isGeneratorFunction(fn)) throw new Error("Generators are disallowed as entrypoints. For streaming responses, use config.write.");
  if (typeof fn !== "function") throw new Error(`entrypoint("${options.name}"): the second argument must be a function`);
  const node = (state: StateValues, config: NodeConfig): StateValues | Promise<StateValues> => {
    const task = currentTask();
    if (task instanceof Task) functionalStateOf(task).beginExecution(state[INPUT_KEY], state[PREVIOUS], options.cache);
    const output = fn(state[INPUT_KEY] as Input, config);
    return isPromiseLike(output) ? Promise.resolve(output).then(toUpdate) : toUpdate(output);
  };
  const channels: Record<string, Channel> = { [INPUT_KEY]: new LastValue(), [OUTPUT_KEY]: new LastValue(), [PREVIOUS]: new LastValue() };
  const graph = new StateGraph(channels as Record<string, Channel>)
    .addNode(options.name, node, options.timeout === undefined ? undefined : { timeout: options.timeout })
    .addEdge(START, options.name)
    .addEdge(options.name, END)
    .compile({ checkpointer: options.checkpointer, store: options.store, name: options.name }) as unknown as CompiledStateGraph<StateValues, StateValues>;
  // task() calls and getPreviousState() after an `await` find their task through AsyncLocalStorage.
  graph.usesTaskContext = true;
  return new EntrypointGraph(options.name, graph, options.cache);
}

/** LangGraph.js's `entrypoint()`, with `entrypoint.final`. */
export const entrypoint = Object.assign(createEntrypoint, {
  final<Value, Save>({ value, save }: { value?: Value; save?: Save }): EntrypointFinal<Value, Save> {
    return new EntrypointFinal(value as Value, save as Save);
  },
});

/** What the entrypoint saved on the thread's previous run (its result, or `entrypoint.final`'s `save`). */
export function getPreviousState<State>(): State {
  const caller = callingGraphTask();
  if (caller === null) throw new Error("getPreviousState() can only be called from inside an entrypoint");
  return functionalOf(caller.root)?.previous as State;
}
