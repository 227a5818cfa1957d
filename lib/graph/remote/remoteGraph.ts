// `RemoteGraph`: a graph deployed on a LangGraph server (or Rill's, where it speaks that API), used like
// a local compiled graph: invoke, stream, getState, getStateHistory, updateState, getGraphAsync,
// getSubgraphsAsync, withConfig. It talks through @langchain/langgraph-sdk's `Client` (pass one as
// `client`, or `url` / `apiKey` / `headers` and the SDK is loaded on first use: it is an optional peer).
import { createRequire } from "node:module";
import { isCommand } from "../command";
import { INTERRUPT } from "../constants";
import { GraphInterrupt, RemoteException } from "../errors";
import { isLangChainMessage } from "../langchain/optionalCore";
import type { RunConfig } from "../runConfig";
import type { Interrupt, StreamMode } from "../types";
import { mergeConfigs, remoteRunConfig } from "./remoteConfig";
import { RemoteGraphRunStream } from "./remoteRunStream";

/* eslint-disable @typescript-eslint/no-explicit-any */
type SdkClient = any;

export interface RemoteGraphParams {
  graphId: string;
  client?: SdkClient;
  url?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  config?: RunConfig;
  name?: string;
  interruptBefore?: string[] | "*";
  interruptAfter?: string[] | "*";
  streamResumable?: boolean;
}

export interface RemoteStateSnapshot {
  values: unknown;
  next: string[];
  config: { configurable: Record<string, unknown> };
  metadata: Record<string, unknown> | undefined;
  createdAt: string | undefined;
  parentConfig: { configurable: Record<string, unknown> } | undefined;
  tasks: Array<Record<string, unknown>>;
}

interface ServerCheckpoint {
  thread_id?: string;
  checkpoint_ns?: string;
  checkpoint_id?: string;
  checkpoint_map?: Record<string, unknown>;
}

interface ServerThreadState {
  values: unknown;
  next?: string[];
  checkpoint?: ServerCheckpoint | null;
  metadata?: Record<string, unknown> | null;
  created_at?: string | null;
  parent_checkpoint?: ServerCheckpoint | null;
  tasks: Array<{ id: string; name: string; error?: string | null; interrupts: Array<{ id?: string } & Record<string, unknown>>; state?: ServerThreadState | null; checkpoint?: ServerCheckpoint | null; result?: unknown }>;
}

const CHECKPOINT_KEYS = ["thread_id", "checkpoint_ns", "checkpoint_id", "checkpoint_map"] as const;
const NS_SEPARATOR = "|";

function loadClient(params: RemoteGraphParams): SdkClient {
  let sdk: { Client: new (options: object) => SdkClient };
  try {
    sdk = createRequire(import.meta.url)("@langchain/langgraph-sdk");
  } catch {
    throw new Error("RemoteGraph needs @langchain/langgraph-sdk (npm install @langchain/langgraph-sdk), or pass a `client`");
  }
  return new sdk.Client({ apiUrl: params.url, apiKey: params.apiKey, defaultHeaders: params.headers });
}

/** The checkpoint fields a config names, or undefined when it names none. */
function checkpointOf(config: RunConfig | undefined): ServerCheckpoint | undefined {
  const configurable = config?.configurable;
  if (configurable === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of CHECKPOINT_KEYS) if (configurable[key] !== undefined) out[key] = configurable[key];
  return Object.keys(out).length > 0 ? (out as ServerCheckpoint) : undefined;
}

function configOf(checkpoint: ServerCheckpoint | null | undefined, fallback?: RunConfig): { configurable: Record<string, unknown> } {
  const resolved = checkpoint ?? checkpointOf(fallback);
  if (resolved == null) return { configurable: {} };
  const configurable: Record<string, unknown> = {};
  if (resolved.thread_id !== undefined) configurable.thread_id = resolved.thread_id;
  if (resolved.checkpoint_ns !== undefined) configurable.checkpoint_ns = resolved.checkpoint_ns;
  if (resolved.checkpoint_id !== undefined) configurable.checkpoint_id = resolved.checkpoint_id;
  if (resolved.checkpoint_ns !== undefined || resolved.checkpoint_id !== undefined || resolved.checkpoint_map !== undefined) {
    configurable.checkpoint_map = resolved.checkpoint_map ?? {};
  }
  return { configurable };
}

/** Inputs as the server expects them: @langchain/core messages as plain dicts with their `role`. */
function serializeInput(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(serializeInput);
  if (isLangChainMessage(value)) {
    const message = value as unknown as { toDict(): { data: Record<string, unknown> }; getType(): string };
    return { ...message.toDict().data, role: message.getType() };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = serializeInput(item);
  return out;
}

export class RemoteGraph {
  readonly lg_is_pregel = true;
  readonly graphId: string;
  readonly config: RunConfig | undefined;
  readonly name: string;
  protected readonly client: SdkClient;
  private readonly params: RemoteGraphParams;

  constructor(params: RemoteGraphParams) {
    if (typeof params?.graphId !== "string" || params.graphId === "") throw new Error("RemoteGraph: `graphId` is required");
    this.params = params;
    this.graphId = params.graphId;
    this.config = params.config;
    this.name = params.name ?? params.graphId;
    this.client = params.client ?? loadClient(params);
  }

  withConfig(config: RunConfig): RemoteGraph {
    return new RemoteGraph({ ...this.params, client: this.client, config: mergeConfigs(this.config, config) });
  }

  async invoke(input: unknown, config?: RunConfig): Promise<unknown> {
    let last: unknown;
    for await (const chunk of this.stream(input, { ...config, streamMode: "values" } as RunConfig)) last = chunk;
    return last;
  }

  /** Chunks shaped as a local graph's (mode / namespace tuples as asked); an interrupt rejects with GraphInterrupt. */
  stream(input: unknown, options: RunConfig = {}): Promise<AsyncGenerator<unknown>> & AsyncIterable<unknown> {
    const iterator = this.streamChunks(input, options);
    return Object.assign(Promise.resolve(iterator), { [Symbol.asyncIterator]: () => iterator });
  }

  private async *streamChunks(input: unknown, options: RunConfig): AsyncGenerator<unknown> {
    const opts = options as RunConfig & { streamMode?: StreamMode | StreamMode[]; subgraphs?: boolean; interruptBefore?: string[]; interruptAfter?: string[] };
    const merged = mergeConfigs(this.config, options);
    const { threadId, config } = remoteRunConfig(merged);
    const asked: StreamMode[] = opts.streamMode === undefined || (Array.isArray(opts.streamMode) && opts.streamMode.length === 0) ? ["updates"] : Array.isArray(opts.streamMode) ? [...opts.streamMode] : [opts.streamMode];
    const single = !Array.isArray(opts.streamMode) || opts.streamMode.length === 0;
    const wantsUpdates = asked.includes("updates");
    // "updates" is always requested: that is where the server reports interrupts.
    const modes = wantsUpdates ? asked : [...asked, "updates" as StreamMode];
    const payload = {
      command: isCommand(input) ? input.toJSON() : undefined,
      input: isCommand(input) ? undefined : serializeInput(input),
      config,
      context: (merged as { context?: unknown }).context,
      streamMode: modes.map((mode) => (mode === "messages" ? "messages-tuple" : mode)),
      interruptBefore: opts.interruptBefore ?? this.params.interruptBefore,
      interruptAfter: opts.interruptAfter ?? this.params.interruptAfter,
      streamSubgraphs: opts.subgraphs ?? false,
      ifNotExists: "create" as const,
      signal: merged.signal,
      streamResumable: this.params.streamResumable,
    };
    const callerNs = typeof merged.configurable?.checkpoint_ns === "string" && merged.configurable.checkpoint_ns !== "" ? (merged.configurable.checkpoint_ns as string).split(NS_SEPARATOR) : [];
    for await (const chunk of this.client.runs.stream(threadId ?? null, this.graphId, payload) as AsyncIterable<{ event: string; data: any }>) {
      const [mode, ...ns] = chunk.event.split(NS_SEPARATOR);
      const namespace = [...callerNs, ...ns];
      if (mode === "updates") {
        if (chunk.data !== null && typeof chunk.data === "object" && chunk.data[INTERRUPT] !== undefined) throw new GraphInterrupt(chunk.data[INTERRUPT] as Interrupt[]);
        if (!wantsUpdates) continue;
      } else if (mode === "error") {
        throw new RemoteException(typeof chunk.data === "string" ? chunk.data : JSON.stringify(chunk.data));
      }
      if (!modes.includes(mode as StreamMode)) continue;
      if (opts.subgraphs) yield single ? [namespace, chunk.data] : [namespace, mode, chunk.data];
      else yield single ? chunk.data : [mode, chunk.data];
    }
  }

  /** LangGraph.js's `streamEvents(input, { version: "v3" })` on the server: a run started on a thread stream. */
  async streamEvents(input: unknown, options: RunConfig & { version: string; encoding?: string }): Promise<RemoteGraphRunStream | AsyncIterable<Uint8Array>> {
    const { version, encoding, ...rest } = options;
    if (version !== "v3") throw new Error(`RemoteGraph.streamEvents: only version "v3" is supported, got ${JSON.stringify(version)}`);
    for (const option of ["transformers", "streamMode", "subgraphs"]) {
      if ((rest as Record<string, unknown>)[option] !== undefined) throw new Error(`RemoteGraph.streamEvents v3 does not support the "${option}" option`);
    }
    if (encoding !== undefined && encoding !== "text/event-stream") throw new Error(`RemoteGraph.streamEvents: unknown encoding ${JSON.stringify(encoding)} (supported: "text/event-stream")`);
    const merged = mergeConfigs(this.config, rest);
    const { threadId, config } = remoteRunConfig(merged);
    const thread = typeof threadId === "string" ? this.client.threads.stream(threadId, { assistantId: this.graphId }) : this.client.threads.stream({ assistantId: this.graphId });
    const started = (await thread.run.start({ input: isCommand(input) ? input.toJSON() : serializeInput(input), config })) as { run_id?: string } | undefined;
    const run = new RemoteGraphRunStream(thread, started?.run_id);
    const signal = merged.signal;
    if (signal) {
      if (signal.aborted) run.abort(signal.reason);
      else signal.addEventListener("abort", () => run.abort(signal.reason), { once: true });
    }
    return encoding === undefined ? run : run.encoded();
  }

  async getState(config: RunConfig, options?: { subgraphs?: boolean }): Promise<RemoteStateSnapshot> {
    const merged = mergeConfigs(this.config, config);
    const state = (await this.client.threads.getState(merged.configurable?.thread_id, checkpointOf(merged), options)) as ServerThreadState;
    return snapshotOf(state, merged);
  }

  async *getStateHistory(config: RunConfig, options?: { limit?: number; before?: RunConfig; filter?: Record<string, unknown> }): AsyncGenerator<RemoteStateSnapshot> {
    const merged = mergeConfigs(this.config, config);
    const states = (await this.client.threads.getHistory(merged.configurable?.thread_id, {
      limit: options?.limit ?? 10,
      before: checkpointOf(options?.before),
      metadata: options?.filter,
      checkpoint: checkpointOf(merged),
    })) as ServerThreadState[];
    for (const state of states) yield snapshotOf(state, merged);
  }

  async updateState(config: RunConfig, values: unknown, asNode?: string): Promise<{ configurable: Record<string, unknown> }> {
    const merged = mergeConfigs(this.config, config);
    const response = (await this.client.threads.updateState(merged.configurable?.thread_id, { values, asNode, checkpoint: checkpointOf(merged) })) as { checkpoint: ServerCheckpoint };
    const checkpoint = response.checkpoint;
    return { configurable: { thread_id: checkpoint.thread_id, checkpoint_ns: checkpoint.checkpoint_ns, checkpoint_id: checkpoint.checkpoint_id, checkpoint_map: checkpoint.checkpoint_map ?? {} } };
  }

  async getGraphAsync(config?: { xray?: boolean | number }): Promise<{ nodes: Record<string, { id: string; name: string; data: unknown; metadata: unknown }>; edges: unknown[] }> {
    const graph = (await this.client.assistants.getGraph(this.graphId, { xray: config?.xray })) as { nodes: Array<{ id: string | number; data?: any }>; edges: unknown[] };
    const nodes: Record<string, { id: string; name: string; data: unknown; metadata: unknown }> = {};
    for (const node of graph.nodes) {
      const data = node.data;
      nodes[node.id] = {
        id: String(node.id),
        name: typeof data === "string" ? data : (data?.name ?? ""),
        data: data ?? {},
        metadata: typeof data === "string" ? {} : (data?.metadata ?? {}),
      };
    }
    return { nodes, edges: graph.edges };
  }

  getGraph(): never {
    throw new Error('The synchronous "getGraph" is not supported for this graph. Call "getGraphAsync" instead.');
  }

  async *getSubgraphsAsync(namespace?: string, recurse = false): AsyncGenerator<[string, RemoteGraph]> {
    const subgraphs = (await this.client.assistants.getSubgraphs(this.graphId, { namespace, recurse })) as Record<string, { graph_id: string }>;
    for (const [ns, schema] of Object.entries(subgraphs)) yield [ns, new RemoteGraph({ ...this.params, client: this.client, config: this.config, graphId: schema.graph_id })];
  }

  getSubgraphs(): never {
    throw new Error('The synchronous "getSubgraphs" method is not supported for this graph. Call "getSubgraphsAsync" instead.');
  }
}

function snapshotOf(state: ServerThreadState, fallback?: RunConfig): RemoteStateSnapshot {
  return {
    values: state.values,
    next: state.next ? [...state.next] : [],
    config: configOf(state.checkpoint, fallback),
    metadata: state.metadata ?? undefined,
    createdAt: state.created_at ?? undefined,
    parentConfig: state.parent_checkpoint ? configOf(state.parent_checkpoint) : undefined,
    tasks: state.tasks.map((task) => ({
      id: task.id,
      name: task.name,
      error: task.error ? { message: task.error } : undefined,
      interrupts: task.interrupts.map(({ id, ...rest }) => ({ interrupt_id: id, ...rest })),
      state: task.state ? snapshotOf(task.state, task.checkpoint ? configOf(task.checkpoint) : fallback) : task.checkpoint ? { configurable: task.checkpoint } : undefined,
      result: task.result,
    })),
  };
}


