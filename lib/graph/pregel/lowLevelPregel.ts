// LangGraph.js's low-level `Pregel`: `new Pregel({ nodes, channels, inputChannels, outputChannels })` with nodes
// made by `Channel.subscribeTo(...).pipe(...).pipe(Channel.writeTo(...))`. It compiles into a StateGraph whose
// state keys are the channels: START routes to the nodes the input's channels trigger, and each node returns a
// Command that writes its channels and goes to the nodes those channels trigger (a step per Pregel superstep).
import type { RetryPolicy } from "../retry";
import { BinaryOperatorAggregate, LastValue } from "../channels/channel";
import type { Channel as StateChannel } from "../channels/channel";
import type { BaseChannel } from "../channels/base";
import { Command } from "../command";
import { DEFAULT_RECURSION_LIMIT, type CompiledStateGraph } from "../compiledGraph";
import { END, INTERRUPT, START } from "../constants";
import { GraphRecursionError } from "../errors";
import type { NodeConfig, RunConfig } from "../runConfig";
import { StateGraph } from "../stateGraph";
import { Topic } from "../channels/topic";
import { collectWrites, type WriteSink } from "./channelWrite";
import { INPUT_STEP, stateChannelFor, topicRead, topicWrite } from "./pregelChannels";
import type { PregelNode } from "./pregelNode";
import { refuseObjectPrototypeKeys } from "../prototypeKeys";

/** Hidden channel: the nodes the run's input triggers (read by START's router). */
const START_TARGETS = "__pregel_start__";
/** Hidden channel: the step that last ran (every node writes it), so a "values" chunk knows its step. */
const STEP = "__pregel_step__";
/** LangGraph.js's hidden Topic of pushed tasks, named in `streamChannelsList`. */
const TASKS_CHANNEL = "__pregel_tasks";

export interface PregelOptions {
  nodes: Record<string, PregelNode>;
  channels: Record<string, AnyChannel>;
  inputChannels: string | string[];
  outputChannels: string | string[];
  streamChannels?: string | string[];
  streamMode?: string | string[];
  checkpointer?: unknown;
  interruptBefore?: string[];
  interruptAfter?: string[];
  name?: string;
  /** Retries every node's failed attempts (LangGraph.js's Pregel-wide `retryPolicy`). */
  retryPolicy?: RetryPolicy;
  [option: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyChannel = BaseChannel<any, any, any>;

type PregelRunConfig = RunConfig & { outputKeys?: string | string[]; streamMode?: string | string[] };

export class Pregel {
  readonly lc_runnable = true;
  readonly nodes: Record<string, PregelNode>;
  readonly channels: Record<string, AnyChannel>;
  readonly inputChannels: string | string[];
  readonly outputChannels: string | string[];
  readonly streamChannels: string | string[] | undefined;
  readonly streamMode: string[];
  readonly name: string | undefined;
  private readonly graph: CompiledStateGraph;
  /** Channel name -> state key (a channel named like a node gets a hidden key) and back. */
  private readonly keyOf = new Map<string, string>();
  private readonly nameOf = new Map<string, string>();

  constructor(options: PregelOptions) {
    const { nodes, channels, inputChannels, outputChannels } = options ?? ({} as PregelOptions);
    if (nodes === undefined || typeof nodes !== "object") throw new Error("Pregel: `nodes` is required (a record of Channel.subscribeTo(...) nodes).");
    if (channels === undefined || typeof channels !== "object") throw new Error("Pregel: `channels` is required (a record of channels such as new LastValue()).");
    if (inputChannels === undefined) throw new Error("Pregel: `inputChannels` is required (a channel name or a list of them).");
    if (outputChannels === undefined) throw new Error("Pregel: `outputChannels` is required (a channel name or a list of them).");
    this.nodes = nodes;
    this.channels = channels;
    this.inputChannels = inputChannels;
    this.outputChannels = outputChannels;
    this.streamChannels = options.streamChannels;
    this.streamMode = options.streamMode === undefined ? ["values"] : Array.isArray(options.streamMode) ? options.streamMode : [options.streamMode];
    this.name = options.name;
    refuseObjectPrototypeKeys(Object.keys(channels), "Pregel: `channels`");
    refuseObjectPrototypeKeys(Object.keys(nodes), "Pregel: `nodes`");
    for (const name of [...asList(inputChannels), ...asList(outputChannels), ...asList(options.streamChannels ?? [])]) {
      if (!Object.hasOwn(channels, name)) throw new Error(`Pregel: channel "${name}" is not in \`channels\` (known: ${Object.keys(channels).join(", ")}).`);
    }
    const definition: Record<string, StateChannel> = {
      [START_TARGETS]: new LastValue(),
      [STEP]: new BinaryOperatorAggregate<number>((a, b) => Math.max(a, b)) as unknown as StateChannel,
    };
    for (const [name, channel] of Object.entries(channels)) {
      const key = name in nodes || name.startsWith("__") ? `__pregel_channel__${name}` : name;
      this.keyOf.set(name, key);
      this.nameOf.set(key, name);
      definition[key] = stateChannelFor(name, channel);
    }
    const subscribers = new Map<string, string[]>();
    for (const [nodeName, node] of Object.entries(nodes)) {
      for (const trigger of node.triggers) {
        if (!Object.hasOwn(channels, trigger)) throw new Error(`Pregel: node "${nodeName}" subscribes to channel "${trigger}", which is not in \`channels\`.`);
        const list = subscribers.get(trigger) ?? [];
        list.push(nodeName);
        subscribers.set(trigger, list);
      }
    }
    const triggered = (written: Iterable<string>): string[] => {
      const out = new Set<string>();
      for (const name of written) for (const node of subscribers.get(name) ?? []) out.add(node);
      return [...out];
    };
    const builder = new StateGraph(definition as never) as unknown as StateGraph<any>;
    for (const [nodeName, node] of Object.entries(nodes)) {
      builder.addNode(nodeName, async (state: Record<string, unknown>, config: NodeConfig) => {
        // Pregel steps here count the input as step 0 (INPUT_STEP); the engine runs the first nodes at its step 0
        // (the input checkpoint holds the input: plan.directInput), so a node's Pregel step is one more.
        const engineStep = (config.metadata as { langgraph_step?: number } | undefined)?.langgraph_step;
        const step = engineStep === undefined ? undefined : engineStep + 1;
        const input = node.readInput((channel) => this.readChannel(state, channel, step));
        const sink: WriteSink = [];
        await collectWrites(sink, () => node.invoke(input, config));
        return this.taskCommand(nodeName, sink, step ?? INPUT_STEP + 1) as never;
      }, options.retryPolicy === undefined ? undefined : { retryPolicy: options.retryPolicy as RetryPolicy });
    }
    builder.addConditionalEdges(START as never, ((state: Record<string, unknown>) => {
      const targets = (state[START_TARGETS] as string[] | undefined) ?? [];
      return targets.length === 0 ? END : targets;
    }) as never);
    this.graph = builder.compile({
      checkpointer: options.checkpointer as never,
      interruptBefore: options.interruptBefore as never,
      interruptAfter: options.interruptAfter as never,
    }) as unknown as CompiledStateGraph;
    this.graph.plan.directInput = true;
    this.triggered = triggered;
  }

  private readonly triggered: (written: Iterable<string>) => string[];

  /** A channel's value as a node at `step` sees it (undefined step: the run's end). */
  private readChannel(state: Record<string, unknown>, channel: string, step: number | undefined): unknown {
    const value = state[this.key(channel)];
    const spec = this.channels[channel];
    return spec instanceof Topic ? topicRead(value, spec.accumulate, step) : value;
  }

  private key(channel: string): string {
    return this.keyOf.get(channel) ?? channel;
  }

  /** The run's input as state: input channels' values and the nodes they trigger. */
  private toState(input: unknown): unknown {
    if (input === null || input === undefined || input instanceof Command) return input;
    const state: Record<string, unknown> = {};
    const written: string[] = [];
    if (typeof this.inputChannels === "string") {
      state[this.key(this.inputChannels)] = this.inputValue(this.inputChannels, input);
      written.push(this.inputChannels);
    } else {
      if (typeof input !== "object") throw new Error(`Pregel: input must be an object keyed by the input channels (${this.inputChannels.join(", ")}); got ${typeof input}.`);
      for (const name of this.inputChannels) {
        const value = (input as Record<string, unknown>)[name];
        if (value === undefined) continue;
        state[this.key(name)] = this.inputValue(name, value);
        written.push(name);
      }
    }
    state[START_TARGETS] = this.triggered(written);
    return state;
  }

  private inputValue(channel: string, value: unknown): unknown {
    return this.channels[channel] instanceof Topic ? topicWrite([value], INPUT_STEP) : value;
  }

  /** The values of `channels` in `state` after its last step (one name: the bare value; a list: an object of the non-empty ones). */
  private read(state: Record<string, unknown> | undefined, channels: string | string[]): unknown {
    if (state === undefined || state === null) return undefined;
    return this.readAt(state, channels, (state[STEP] as number | undefined) ?? INPUT_STEP);
  }

  /** The engine's config: Rill counts START's step, which a Pregel has not, so the limit is one more. */
  private engineConfig(config: PregelRunConfig): RunConfig {
    const { outputKeys: _keys, streamMode: _modes, ...rest } = config;
    return { ...rest, recursionLimit: (config.recursionLimit ?? DEFAULT_RECURSION_LIMIT) + 1 } as RunConfig;
  }

  /** The engine's GraphRecursionError names the engine's limit; the user set one less. */
  private userError(error: unknown, config: PregelRunConfig): unknown {
    if (!(error instanceof GraphRecursionError)) return error;
    const limit = config.recursionLimit ?? DEFAULT_RECURSION_LIMIT;
    error.message = error.message.replace(`Recursion limit of ${limit + 1} `, `Recursion limit of ${limit} `);
    return error;
  }

  async invoke(input: unknown, config: PregelRunConfig = {}): Promise<unknown> {
    const state = (await this.graph.invoke(this.toState(input) as never, this.engineConfig(config)).catch((e: unknown) => {
      throw this.userError(e, config);
    })) as Record<string, unknown>;
    const outputKeys = config.outputKeys;
    if (state !== undefined && state !== null && INTERRUPT in state) return { [INTERRUPT]: state[INTERRUPT] };
    return this.read(state, outputKeys ?? this.outputChannels);
  }

  async batch(inputs: unknown[], config?: PregelRunConfig | PregelRunConfig[]): Promise<unknown[]> {
    return Promise.all(inputs.map((input, i) => this.invoke(input, Array.isArray(config) ? config[i] : config)));
  }

  /**
   * Streams "values" (the stream channels after each step that wrote one of them: `outputKeys`, else
   * `streamChannels`, else every channel) and "updates" ({ node: { channel: value } }). The input is not a step.
   */
  stream(input: unknown, config: PregelRunConfig = {}): Promise<AsyncGenerator<unknown>> & AsyncIterable<unknown> {
    const modes = config.streamMode === undefined ? this.streamMode : asList(config.streamMode);
    const single = config.streamMode === undefined ? modes.length === 1 : !Array.isArray(config.streamMode);
    const keys = config.outputKeys ?? this.streamChannels ?? Object.keys(this.channels);
    const inner = this.graph.stream(this.toState(input) as never, { ...this.engineConfig(config), streamMode: ["updates", "values"] } as RunConfig);
    const generator = this.mapStream(inner as AsyncIterable<unknown>, modes, single, keys, config);
    const promise = Promise.resolve(generator) as Promise<AsyncGenerator<unknown>> & AsyncIterable<unknown>;
    promise[Symbol.asyncIterator] = () => generator;
    return promise;
  }

  private async *mapStream(inner: AsyncIterable<unknown>, modes: string[], single: boolean, keys: string | string[], config: PregelRunConfig): AsyncGenerator<unknown> {
    try {
      yield* this.mapChunks(inner, modes, single, keys);
    } catch (error) {
      throw this.userError(error, config);
    }
  }

  private async *mapChunks(inner: AsyncIterable<unknown>, modes: string[], single: boolean, keys: string | string[]): AsyncGenerator<unknown> {
    const wanted = new Set(asList(keys));
    let touched = false;
    for await (const item of inner) {
      const [mode, chunk] = item as [string, Record<string, unknown>];
      if (mode === "updates") {
        for (const [node, update] of Object.entries(chunk)) {
          // A stop at interruptBefore/After (or interrupt()s) shows as LangGraph.js streams it.
          if (node === INTERRUPT) {
            if (modes.includes("updates")) yield single ? { [INTERRUPT]: update } : ["updates", { [INTERRUPT]: update }];
            continue;
          }
          if (update === null || typeof update !== "object" || !(node in this.nodes)) continue;
          const writes = this.publicWrites(Array.isArray(update) ? Object.assign({}, ...update) : (update as Record<string, unknown>));
          if (Object.keys(writes).some((name) => wanted.has(name))) touched = true;
          if (modes.includes("updates")) yield single ? { [node]: writes } : ["updates", { [node]: writes }];
        }
      } else if (mode === "values") {
        const step = chunk[STEP] as number | undefined;
        if (step === undefined || !touched) continue;
        touched = false;
        if (!modes.includes("values")) continue;
        const values = this.readAt(chunk, keys, step);
        yield single ? values : ["values", values];
      }
    }
  }

  /** A node's update with channel names and a Topic's values as written (one value bare). */
  private publicWrites(update: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(update)) {
      const name = this.nameOf.get(key);
      if (name === undefined) continue;
      if (this.channels[name] instanceof Topic) {
        const values = (value as { values: unknown[] }).values;
        out[name] = values.length === 1 ? values[0] : values;
      } else out[name] = value;
    }
    return out;
  }

  /** `channels` in the state after `step` (a Topic not written in that step is empty). */
  private readAt(state: Record<string, unknown>, channels: string | string[], step: number): unknown {
    if (typeof channels === "string") return this.readChannel(state, channels, step + 1);
    const out: Record<string, unknown> = {};
    for (const name of channels) {
      const value = this.readChannel(state, name, step + 1);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** A task's writes as the Command its node returns: the channels' updates, and the nodes they trigger. */
  private taskCommand(nodeName: string, sink: WriteSink, at: number): Command {
    const channels = this.channels;
    const update: Record<string, unknown> = { [STEP]: at };
    // A channel written twice by one task: every write goes to the channel, as in LangGraph.js (a
    // LastValue then throws InvalidUpdateError, a reducer folds both), so the update becomes tuples.
    let twice: Array<[string, unknown]> | null = null;
    const written: string[] = [];
    for (const [channel, value] of sink) {
      if (!Object.hasOwn(channels, channel)) throw new Error(`Pregel: node "${nodeName}" wrote to channel "${channel}", which is not in \`channels\`.`);
      const key = this.key(channel);
      const write = channels[channel] instanceof Topic ? topicWrite([value], at) : value;
      if (twice === null && key in update) twice = Object.entries(update);
      if (twice !== null) twice.push([key, write]);
      else update[key] = write;
      written.push(channel);
    }
    return new Command({ update: twice ?? update, goto: this.triggered(written) } as never);
  }

  /**
   * Writes `values` as node `asNode` would: through its ChannelWrites; the nodes those channels trigger run
   * next. `asNode` is required unless the Pregel has a single node.
   */
  async updateState(config: RunConfig, values: unknown, asNode?: string): Promise<{ configurable: Record<string, unknown> }> {
    const names = Object.keys(this.nodes);
    const name = asNode ?? (names.length === 1 ? names[0] : undefined);
    if (name === undefined) throw new Error(`Pregel.updateState: pass asNode (one of ${names.join(", ")}); it names the node whose writes \`values\` become.`);
    const node = this.nodes[name];
    if (node === undefined) throw new Error(`Pregel.updateState: asNode "${name}" is not a node (nodes: ${names.join(", ")}).`);
    const sink: WriteSink = [];
    await collectWrites(sink, async () => {
      for (const writer of node.writers) await writer.invoke(values, config);
    });
    const current = await this.graph.getState(config);
    const at = (((current.values as Record<string, unknown> | undefined)?.[STEP] as number | undefined) ?? INPUT_STEP) + 1;
    return this.graph.updateState(config, this.taskCommand(name, sink, at) as never, name);
  }

  /** The thread's checkpoints, newest first, with channel names (as getState shows them). */
  async *getStateHistory(config: RunConfig, options?: Parameters<CompiledStateGraph["getStateHistory"]>[1]) {
    for await (const snapshot of this.graph.getStateHistory(config, options)) {
      yield { ...snapshot, values: this.publicValues(snapshot.values as Record<string, unknown>) };
    }
  }

  /** LangGraph.js's names: the stream channels as given, else every channel plus its hidden tasks channel. */
  get streamChannelsAsIs(): string | string[] {
    return this.streamChannels ?? [...Object.keys(this.channels), TASKS_CHANNEL];
  }

  get streamChannelsList(): string[] {
    return asList(this.streamChannelsAsIs);
  }

  /** The thread's state, with channel names and each Topic's values (hidden keys left out). */
  async getState(config: RunConfig) {
    const snapshot = await this.graph.getState(config);
    return { ...snapshot, values: this.publicValues(snapshot.values as Record<string, unknown>) };
  }

  private publicValues(values: Record<string, unknown> | undefined): Record<string, unknown> {
    if (values === undefined) return {};
    return this.readAt(values, Object.keys(this.channels), (values[STEP] as number | undefined) ?? INPUT_STEP) as Record<string, unknown>;
  }

  toString(): string {
    return `Pregel(${Object.keys(this.nodes).join(", ")})`;
  }
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
