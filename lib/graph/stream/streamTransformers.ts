// streamEvents v3's `transformers` option (LangGraph.js's StreamTransformer): factories of
// `{ init(), process(event), finalize?(), fail?(error) }`. `init()`'s projection is merged into `run.extensions`;
// each event passes through every `process` (one returning false keeps the event out of the run); a projection's
// named StreamChannel shows its items as `custom:<name>` events, and a promise in it is shown when the run ends
// as a `custom` event `{ name, payload }`. Costs nothing without transformers.
import type { ProtocolEvent } from "./protocolEvents";
import { StreamChannel } from "./streamChannel";

export interface StreamTransformer<Projection = Record<string, unknown>> {
  init(): Projection;
  process(event: ProtocolEvent): boolean;
  finalize?(): unknown;
  fail?(error: unknown): void;
}

export type StreamTransformerFactory = () => StreamTransformer<any>;

type Emit = (namespace: string[], method: string, data: unknown) => void;

export class StreamTransformers {
  readonly extensions: Record<string, unknown> = {};
  private readonly transformers: StreamTransformer<any>[] = [];
  private readonly channels: StreamChannel[] = [];
  private readonly finalValues: Array<{ name: string; promise: Promise<unknown> }> = [];
  /** The namespace of the event being processed: a channel pushed meanwhile shows its item there. */
  private namespace: string[] = [];

  constructor(factories: readonly StreamTransformerFactory[], emit: Emit) {
    for (const factory of factories) {
      if (typeof factory !== "function") throw new Error("streamEvents: each of options.transformers must be a function returning { init, process }");
      const transformer = factory();
      this.transformers.push(transformer);
      const projection = (transformer.init() ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(projection)) {
        this.extensions[key] = value;
        if (StreamChannel.isInstance(value)) {
          this.channels.push(value);
          const name = value.channelName;
          if (typeof name === "string") value._wire((item) => emit(this.namespace, `custom:${name}`, item));
        } else if (value !== null && typeof (value as PromiseLike<unknown>)?.then === "function") {
          this.finalValues.push({ name: key, promise: Promise.resolve(value) });
        }
      }
    }
  }

  /** Runs every transformer on `event`; false when one keeps it out of the run. */
  process(event: ProtocolEvent): boolean {
    const outer = this.namespace;
    this.namespace = event.params.namespace;
    let keep = true;
    try {
      for (const transformer of this.transformers) if (!transformer.process(event)) keep = false;
    } finally {
      this.namespace = outer;
    }
    return keep;
  }

  /** The run ended: finalize, close the channels, and show the projections' promised values. */
  async close(emit: Emit): Promise<void> {
    const finalizing: unknown[] = [];
    for (const transformer of this.transformers) finalizing.push(transformer.finalize?.());
    for (const channel of this.channels) channel.close();
    await Promise.allSettled([
      ...finalizing,
      ...this.finalValues.map(async ({ name, promise }) => emit([], "custom", { name, payload: await promise })),
    ]);
  }

  /** The run failed. */
  fail(error: unknown): void {
    for (const transformer of this.transformers) transformer.fail?.(error);
    for (const channel of this.channels) channel.fail(error);
  }
}
