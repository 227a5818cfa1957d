// `graph.streamEvents(input, { version: "v2" })`: LangChain's event stream (on_chain_start / on_chain_stream /
// on_chain_end for the graph and each task, on_chat_model_stream and the rest from LangChain code nodes call).
// As on LangGraph.js, @langchain/core's own Runnable.streamEvents does the work: it adds its event streamer
// to the callbacks and watches the graph's stream for the root run's chunks; the run's tracing
// (runTracing.ts) reports the graph and its tasks to that streamer. @langchain/core is imported here, lazily.
import type { StreamEvent } from "@langchain/core/tracers/log_stream";
import type { RunConfig } from "../runConfig";
import { needsCore } from "./runTracing";

type RunnablesModule = typeof import("@langchain/core/runnables");

/** What the graph lends its LangChain stand-in: its name and its stream. */
export interface StreamableGraph {
  readonly name: string;
  stream(input: never, config: RunConfig): AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>;
}

export type StreamEventsOptions = RunConfig & { version: "v2"; encoding?: "text/event-stream" };

let standInClass: Promise<new (graph: StreamableGraph) => { streamEvents(input: unknown, options: unknown, streamOptions?: unknown): AsyncIterable<unknown> }> | undefined;

function loadStandIn() {
  return (standInClass ??= import("@langchain/core/runnables").then(({ Runnable }: RunnablesModule) => {
    /** A LangChain Runnable whose stream is the graph's (its chain run is the graph run the tracing reports). */
    class GraphRunnable extends Runnable<unknown, unknown> {
      lc_namespace = ["langgraph", "pregel"];

      constructor(private readonly graph: StreamableGraph) {
        super();
      }

      override getName(): string {
        return this.graph.name;
      }

      async invoke(input: unknown, options?: Partial<RunConfig>): Promise<unknown> {
        let last: unknown;
        for await (const chunk of await this.graph.stream(input as never, { ...(options as RunConfig), streamMode: "values" })) last = chunk;
        return last;
      }

      override async *_streamIterator(input: unknown, options?: Partial<RunConfig>): AsyncGenerator<unknown> {
        yield* await this.graph.stream(input as never, (options ?? {}) as RunConfig);
      }
    }
    return GraphRunnable;
  }, (error: unknown) => {
    standInClass = undefined;
    throw needsCore("streamEvents", error);
  }));
}

/** LangChain's events of one run, returned synchronously; `cancel()` stops the run (as LangChain's stream's does). */
export interface ChainEventStream extends AsyncGenerator<StreamEvent> {
  cancel(reason?: unknown): Promise<void>;
}

export function streamGraphEvents(graph: StreamableGraph, input: unknown, options: StreamEventsOptions, streamOptions?: Record<string, unknown>): ChainEventStream {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  async function* events(): AsyncGenerator<StreamEvent> {
    const GraphRunnable = await loadStandIn();
    yield* new GraphRunnable(graph).streamEvents(input, { ...options, signal }, streamOptions) as AsyncIterable<StreamEvent>;
  }
  const stream = events() as ChainEventStream;
  stream.cancel = async (reason?: unknown) => {
    controller.abort(reason);
    await stream.return(undefined);
  };
  return stream;
}
