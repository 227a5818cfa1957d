// streamEvents v3's `run.subgraphs`: one SubgraphRunStream per subgraph namespace directly under the root (as
// LangGraph.js, deeper namespaces are not announced), seen when its first event is. It reads the run's own
// event log from that event on, scoped to its namespace; its values are those of its namespace.
import type { GraphRunStream, ProtocolEvent, ProtocolInterrupt } from "./protocolEvents";

export class SubgraphRunStream<Values = unknown> implements AsyncIterable<ProtocolEvent> {
  /** The node name of the namespace segment (`name:<task id>`). */
  readonly name: string;
  /** The segment's numeric suffix, 0 when it has none (a task id), as LangGraph.js. */
  readonly index: number;
  readonly extensions: Record<string, any> = {};
  /** @internal the last values event of this namespace */
  lastValues: Values | undefined = undefined;

  constructor(
    readonly path: string[],
    private readonly root: GraphRunStream<unknown>,
    private readonly eventStart: number,
  ) {
    const segment = path[path.length - 1] ?? "";
    const colon = segment.lastIndexOf(":");
    this.name = colon >= 0 ? segment.slice(0, colon) : segment;
    const suffix = colon >= 0 ? segment.slice(colon + 1) : "";
    this.index = /^\d+$/.test(suffix) ? Number(suffix) : 0;
  }

  [Symbol.asyncIterator](): AsyncGenerator<ProtocolEvent> {
    return this.root.eventsUnder(this.path, this.eventStart);
  }

  /** Subgraph streams directly under this one (none: only the root's children are announced). */
  get subgraphs(): AsyncIterable<SubgraphRunStream> {
    return this.root.subgraphsUnder(this.path);
  }

  /** This namespace's last values once the run ended (rejects with the run's error). */
  get output(): Promise<Values | undefined> {
    return this.root.output.then(() => this.lastValues);
  }

  /** Awaited: the last values; iterated: each values snapshot of this namespace. */
  get values(): AsyncIterable<Values> & PromiseLike<Values | undefined> {
    const stream = this;
    return {
      then: (onFulfilled, onRejected) => stream.output.then(onFulfilled, onRejected),
      async *[Symbol.asyncIterator]() {
        for await (const event of stream) if (event.method === "values" && event.params.namespace.length === stream.path.length) yield event.params.data as Values;
      },
    };
  }

  get interrupted(): boolean {
    return this.root.interrupted;
  }

  get interrupts(): ProtocolInterrupt[] {
    return this.root.interrupts;
  }

  get signal(): AbortSignal {
    return this.root.signal;
  }

  /** Aborts the whole run (the subgraph runs inside it). */
  abort(reason?: unknown): void {
    this.root.abort(reason);
  }
}
