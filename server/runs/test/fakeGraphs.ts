// Stand-ins for compiled graphs in the run manager's unit tests: each "graph" is an async generator of
// StreamParts, so a test decides exactly what a run emits and when. The integration tests use the engine.
import { z } from "zod";
import type { StreamPart } from "../../../lib/graph/types";
import type { GraphSource, GraphStreamOptions, RunnableGraph, StreamableGraph } from "../graphSource";

export type Script = (input: unknown, options: GraphStreamOptions) => AsyncGenerator<StreamPart, void, undefined>;

/** A resume value as the fake graphs see it (the engine would get `new Command({ resume })`). */
export class FakeResume {
  constructor(readonly resume: unknown) {}
}

export function fakeGraph(id: string, script: Script, input: z.ZodType = z.object({ topic: z.string() })): RunnableGraph {
  const graph: StreamableGraph = { stream: (value, options) => script(value, options) };
  return { id, input, graph: () => graph };
}

export function fakeSource(...graphs: RunnableGraph[]): GraphSource {
  const byId = new Map(graphs.map((g) => [g.id, g]));
  return { get: (id) => byId.get(id), ids: () => [...byId.keys()] };
}

/** A promise the test resolves by hand: lets a script pause at a precise point. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** Rejects when `signal` aborts, like an engine whose node is cancelled. */
export function abortable(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}

/** The seed's joke graph as streamed with every mode but messages/debug, as a fixed script. */
export const jokeScript: Script = async function* (input) {
  const topic = (input as { topic: string }).topic;
  yield ["values", { topic }];
  yield ["updates", { refine_topic: { topic: `${topic} and cats` } }];
  yield ["values", { topic: `${topic} and cats` }];
  yield ["custom", { custom_key: "Writing custom data while generating a joke" }];
  yield ["updates", { generate_joke: { joke: `This is a joke about ${topic} and cats` } }];
  yield ["values", { topic: `${topic} and cats`, joke: `This is a joke about ${topic} and cats` }];
};

/** `count` custom events, optionally pausing on `pause` after `pauseAfter` of them. */
export function countingScript(count: number, pauseAt?: { after: number; wait: Promise<void> }): Script {
  return async function* (_input, options) {
    for (let i = 1; i <= count; i++) {
      if (pauseAt && i === pauseAt.after + 1) await abortable(pauseAt.wait, options.signal);
      yield ["custom", { i }];
    }
  };
}
