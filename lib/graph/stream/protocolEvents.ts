// `graph.streamEvents(input, { version: "v3" })`: LangGraph.js's protocol event stream. The run's
// chunks (values, updates, custom, tasks, checkpoints, tools; subgraphs included) become numbered events
// `{ type: "event", seq, method, params: { namespace, timestamp, data } }`. The run is driven on its own
// (awaiting `run.output` runs it without reading events); its events are kept for every reader
// (the run itself, `run.values`), so this API holds a run's events in memory: use `stream()` for
// bounded memory. Lifecycle events (stream/protocolLifecycle.ts) frame the run and each subgraph's;
// `run.subgraphs` (stream/subgraphRunStream.ts) gives each subgraph's events. Costs nothing unless called.
import { randomUUID } from "node:crypto";
import { INTERRUPT } from "../constants";
import type { Namespace, ToolsChunk } from "../types";
import { ProtocolLifecycle } from "./protocolLifecycle";
import { toolsEventData } from "./protocolTools";
import { SubgraphRunStream } from "./subgraphRunStream";
import { StreamTransformers, type StreamTransformerFactory } from "./streamTransformers";

export interface ProtocolEvent {
  type: "event";
  seq: number;
  method: string;
  params: { namespace: string[]; timestamp: number; data: unknown };
}

export interface ProtocolInterrupt {
  interrupt_id: string | undefined;
  payload: unknown;
}

/** The stream modes a v3 run reads (LangGraph.js leaves out "debug": it re-wraps checkpoints and tasks). */
export const PROTOCOL_STREAM_MODES = ["values", "updates", "custom", "tasks", "checkpoints", "tools"] as const;

type Chunk = [Namespace, string, unknown];

interface CheckpointChunk {
  config?: { configurable?: { checkpoint_id?: string } };
  parentConfig?: { configurable?: { checkpoint_id?: string } };
  metadata?: { source?: string; step?: number };
}

function checkpointData(chunk: CheckpointChunk): Record<string, unknown> {
  return {
    id: chunk.config?.configurable?.checkpoint_id,
    parent_id: chunk.parentConfig?.configurable?.checkpoint_id,
    step: chunk.metadata?.step,
    source: chunk.metadata?.source,
  };
}

export interface GraphRunStreamOptions {
  transformers?: readonly StreamTransformerFactory[];
  /** The run saves no checkpoints: each values event gets a companion checkpoint event anyway, as LangGraph.js's in-memory ones. */
  companionCheckpoints?: boolean;
}

function namespaceKey(namespace: readonly string[]): string {
  return namespace.join("|");
}

function isUnder(namespace: readonly string[], path: readonly string[]): boolean {
  if (namespace.length < path.length) return false;
  for (let i = 0; i < path.length; i++) if (namespace[i] !== path[i]) return false;
  return true;
}

export class GraphRunStream<Output = unknown> implements AsyncIterable<ProtocolEvent> {
  private readonly events: ProtocolEvent[] = [];
  private seq = 0;
  private finished = false;
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;
  private readonly controller = new AbortController();
  private lastValues: Output | undefined = undefined;
  private readonly found: ProtocolInterrupt[] = [];
  /** Per namespace: a values chunk waiting for the checkpoint saved with it. */
  private readonly heldValues = new Map<string, Chunk>();
  private readonly completion: Promise<void>;
  /** Subgraph streams, in the order their namespaces were first seen; by namespace key. */
  private readonly discovered: SubgraphRunStream[] = [];
  private readonly subgraphByKey = new Map<string, SubgraphRunStream>();
  private readonly lifecycle: ProtocolLifecycle;
  /** Without a checkpointer: per namespace, the step of its next companion checkpoint. */
  private readonly companionSteps: Map<string, number> | null;

  /** options.transformers (streamTransformers.ts); null without any. */
  private readonly transformers: StreamTransformers | null;

  constructor(source: (signal: AbortSignal) => AsyncIterable<Chunk>, options: GraphRunStreamOptions = {}) {
    const { transformers } = options;
    this.companionSteps = options.companionCheckpoints === true ? new Map() : null;
    this.lifecycle = new ProtocolLifecycle((ns, data) => this.append(ns, "lifecycle", data));
    this.transformers = transformers && transformers.length > 0 ? new StreamTransformers(transformers, (ns, method, data) => this.append(ns, method, data)) : null;
    this.completion = this.pump(source);
  }

  /** What the transformers' `init()` returned, merged (LangGraph.js's `run.extensions`). */
  get extensions(): Record<string, any> {
    return this.transformers?.extensions ?? {};
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  get interrupted(): boolean {
    return this.found.length > 0;
  }

  get interrupts(): ProtocolInterrupt[] {
    return this.found;
  }

  /** The root graph's final values (rejects with the run's error). */
  get output(): Promise<Output | undefined> {
    return this.completion.then(() => {
      if (this.failure) throw this.failure.error;
      return this.lastValues;
    });
  }

  /** Awaited: the final values; iterated: each root "values" snapshot. */
  get values(): AsyncIterable<Output> & PromiseLike<Output | undefined> {
    const run = this;
    return {
      then: (onFulfilled, onRejected) => run.output.then(onFulfilled, onRejected),
      async *[Symbol.asyncIterator]() {
        for await (const event of run) if (event.method === "values" && event.params.namespace.length === 0) yield event.params.data as Output;
      },
    };
  }

  /** The subgraphs run directly under the root, each as its namespace is first seen (LangGraph.js's SubgraphRunStream). */
  get subgraphs(): AsyncIterable<SubgraphRunStream> {
    return this.subgraphsUnder([]);
  }

  [Symbol.asyncIterator](): AsyncGenerator<ProtocolEvent> {
    return this.eventsUnder([], 0);
  }

  /** @internal The subgraph streams one segment below `path` (throws a failed run's error at the end). */
  async *subgraphsUnder(path: readonly string[]): AsyncGenerator<SubgraphRunStream> {
    let index = 0;
    for (;;) {
      while (index < this.discovered.length) {
        const stream = this.discovered[index++];
        if (stream.path.length === path.length + 1 && isUnder(stream.path, path)) yield stream;
      }
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await this.nextChange();
    }
  }

  /** @internal The events at or under `path`, from the `start`th of the run on. */
  async *eventsUnder(path: readonly string[], start: number): AsyncGenerator<ProtocolEvent> {
    let index = start;
    for (;;) {
      while (index < this.events.length) {
        const event = this.events[index++];
        if (path.length === 0 || isUnder(event.params.namespace, path)) yield event;
      }
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await this.nextChange();
    }
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** The events as text/event-stream bytes (`event: <method>` / `data: <JSON of params.data>`). */
  async *encoded(): AsyncGenerator<Uint8Array> {
    const encoder = new TextEncoder();
    for await (const event of this) yield encoder.encode(`event: ${event.method}\ndata: ${JSON.stringify(event.params.data)}\n\n`);
  }

  private async pump(source: (signal: AbortSignal) => AsyncIterable<Chunk>): Promise<void> {
    await Promise.resolve();
    try {
      for await (const chunk of source(this.controller.signal)) this.accept(chunk);
      for (const key of [...this.heldValues.keys()]) this.flushValues(key);
      this.lifecycle.finish("completed");
      if (this.transformers !== null) await this.transformers.close((ns, method, data) => this.append(ns, method, data));
    } catch (error) {
      this.failure = { error };
      this.lifecycle.finish("failed", error);
      this.transformers?.fail(error);
    } finally {
      this.finished = true;
      this.notify();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private push(namespace: Namespace, method: string, data: unknown): void {
    this.lifecycle.before(namespace);
    if (this.transformers === null) this.append(namespace, method, data);
    else {
      const event: ProtocolEvent = { type: "event", seq: 0, method, params: { namespace: [...namespace], timestamp: Date.now(), data } };
      if (this.transformers.process(event)) this.record(event);
    }
    this.lifecycle.after(namespace, method, data);
  }

  /** An event as it is (lifecycle's; a transformer's own: its channels' items, its final values). */
  private append(namespace: Namespace, method: string, data: unknown): void {
    this.record({ type: "event", seq: 0, method, params: { namespace: [...namespace], timestamp: Date.now(), data } });
  }

  private record(event: ProtocolEvent): void {
    const namespace = event.params.namespace;
    if (namespace.length > 0) this.discover(namespace, event);
    event.seq = ++this.seq;
    this.events.push(event);
    this.notify();
  }

  /** A subgraph namespace under the root seen for the first time gets its stream (reading from this event on). */
  private discover(namespace: string[], event: ProtocolEvent): void {
    const key = namespace[0];
    let stream = this.subgraphByKey.get(key);
    if (stream === undefined) {
      stream = new SubgraphRunStream([key], this as GraphRunStream<unknown>, this.events.length);
      this.subgraphByKey.set(key, stream);
      this.discovered.push(stream);
    }
    if (namespace.length === 1 && event.method === "values") stream.lastValues = event.params.data;
  }

  private flushValues(key: string): void {
    const held = this.heldValues.get(key);
    if (held === undefined) return;
    this.heldValues.delete(key);
    if (this.companionSteps !== null) this.pushCompanionCheckpoint(held[0], key);
    this.push(held[0], "values", held[2]);
  }

  /** No checkpointer: the checkpoint LangGraph.js keeps in memory for these values (its own id, numbered steps). */
  private pushCompanionCheckpoint(namespace: Namespace, key: string): void {
    const step = this.companionSteps!.get(key) ?? 0;
    this.companionSteps!.set(key, step + 1);
    this.push(namespace, "checkpoints", { id: randomUUID(), step, source: "loop" });
  }

  private accept(chunk: Chunk): void {
    const [namespace, mode, data] = chunk;
    const key = namespace.join("|");
    if (mode === "checkpoints") {
      // A checkpoint is shown right before the values it holds (its companion event); the engine streams
      // those values just before saving it. Checkpoints holding no streamed values (the input's) are not shown.
      if (this.heldValues.has(key)) {
        this.push(namespace, "checkpoints", checkpointData(data as CheckpointChunk));
        this.flushValues(key);
      }
      return;
    }
    if (mode === "values") {
      if (namespace.length === 0) this.lastValues = data as Output;
      this.flushValues(key);
      this.heldValues.set(key, chunk);
      // Without a checkpointer no checkpoint follows: shown at once with its companion checkpoint.
      if (this.companionSteps !== null) this.flushValues(key);
      return;
    }
    this.flushValues(key);
    if (mode === "updates") {
      for (const [node, values] of Object.entries(data as Record<string, unknown>)) {
        if (node === INTERRUPT) {
          if (namespace.length === 0) for (const item of values as Array<{ id?: string; value?: unknown }>) this.found.push({ interrupt_id: item.id, payload: item.value });
          continue;
        }
        this.push(namespace, "updates", { node, values });
      }
      return;
    }
    if (mode === "custom") {
      this.push(namespace, "custom", { payload: data });
      return;
    }
    if (mode === "tools") {
      this.push(namespace, "tools", toolsEventData(data as ToolsChunk));
      return;
    }
    this.push(namespace, mode, data);
  }
}
