// RemoteGraph.streamEvents({ version: "v3" }): the server's own protocol events for a run started on a
// thread stream of @langchain/langgraph-sdk (`client.threads.stream(...)`), read through one subscription.
import type { ProtocolEvent } from "../stream/protocolEvents";

/* eslint-disable @typescript-eslint/no-explicit-any */
type SdkThreadStream = any;

/** The protocol channels a remote v3 run subscribes to. */
export const REMOTE_PROTOCOL_CHANNELS = ["values", "updates", "messages", "tools", "custom", "lifecycle", "input", "checkpoints", "tasks"];

export class RemoteGraphRunStream<Output = unknown> implements AsyncIterable<ProtocolEvent> {
  private readonly controller = new AbortController();
  constructor(
    /** The SDK's thread stream the run was started on. */
    readonly thread: SdkThreadStream,
    readonly runId: string | undefined,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  get output(): Promise<Output> {
    return this.thread.output;
  }

  get values(): unknown {
    return this.thread.values;
  }

  get interrupted(): boolean {
    return this.thread.interrupted === true;
  }

  get interrupts(): unknown[] {
    return this.thread.interrupts ?? [];
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ProtocolEvent> {
    const subscription = await this.thread.subscribe({ channels: REMOTE_PROTOCOL_CHANNELS });
    try {
      for await (const event of subscription as AsyncIterable<ProtocolEvent>) {
        if (this.controller.signal.aborted) break;
        yield event;
      }
    } finally {
      await subscription.unsubscribe?.();
    }
  }

  /** The events as text/event-stream bytes. */
  async *encoded(): AsyncGenerator<Uint8Array> {
    const encoder = new TextEncoder();
    for await (const event of this) yield encoder.encode(`event: ${event.method}\ndata: ${JSON.stringify(event.params.data)}\n\n`);
  }
}
