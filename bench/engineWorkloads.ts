// The engine benchmark's workloads, written once against LangGraph.js's API and run on either library
// (Rill takes the same code with the import changed), plus the bare async-generator loops that do the
// same work with no engine at all: the floor any engine's overhead is measured above.
// Each function runs the workload once and returns what it computed, so a test can check it.
import type { GraphLib } from "../lib/graph/test/differential/graphLibrary";

/** (a) A two-node loop a -> b -> a ... of `steps` steps, streamed in "updates". Returns the chunks seen and the last n;
 *  `onChunk` sees the running count (the memory probe samples from it). */
export function buildLoop(lg: GraphLib, steps: number) {
  const graph = compileLoop(lg, steps);
  return async (onChunk?: (count: number) => void): Promise<{ chunks: number; last: number }> => {
    let chunks = 0;
    let last = 0;
    const stream = await graph.stream({ n: 0 }, { streamMode: "updates", recursionLimit: steps + 1 });
    for await (const chunk of stream) {
      chunks += 1;
      const update = (chunk as Record<string, { n: number }>)[chunks % 2 === 1 ? "a" : "b"];
      last = update!.n;
      onChunk?.(chunks);
    }
    return { chunks, last };
  };
}

/** The two-node loop a -> b -> a ... ending once n reaches `steps`, compiled with `options` (e.g. a checkpointer). */
export function compileLoop(lg: GraphLib, steps: number, options?: { checkpointer?: unknown }) {
  const State = lg.Annotation.Root({ n: lg.Annotation<number>() });
  return new lg.StateGraph(State)
    .addNode("a", (s) => ({ n: s.n + 1 }))
    .addNode("b", (s) => ({ n: s.n + 1 }))
    .addEdge(lg.START, "a")
    .addEdge("a", "b")
    .addConditionalEdges("b", (s) => (s.n >= steps ? lg.END : "a"))
    .compile(options as never);
}

/** (b) A chain of `length` nodes, each adding one, run with invoke. Returns the final n. */
export function buildChain(lg: GraphLib, length: number) {
  const State = lg.Annotation.Root({ n: lg.Annotation<number>() });
  // The builder's types track node names literally; a generated chain has to go through a loose view of it.
  let builder = new lg.StateGraph(State) as unknown as LooseBuilder;
  for (let i = 0; i < length; i++) builder = builder.addNode(`n${i}`, (s: { n: number }) => ({ n: s.n + 1 }));
  builder = builder.addEdge(lg.START, "n0");
  for (let i = 1; i < length; i++) builder = builder.addEdge(`n${i - 1}`, `n${i}`);
  builder = builder.addEdge(`n${length - 1}`, lg.END);
  const graph = builder.compile();
  return async (): Promise<number> => {
    const out = (await graph.invoke({ n: 0 }, { recursionLimit: length + 1 })) as { n: number };
    return out.n;
  };
}

/** (c) `tasks` Send tasks in one step, each writing its index into a summing reducer, run with invoke. Returns the sum. */
export function buildFanOut(lg: GraphLib, tasks: number) {
  const State = lg.Annotation.Root({
    count: lg.Annotation<number>(),
    total: lg.Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
  });
  const graph = new lg.StateGraph(State)
    .addNode("work", (input: typeof State.State) => ({ total: (input as unknown as { i: number }).i }))
    .addConditionalEdges(lg.START, (s) => Array.from({ length: s.count }, (_, i) => new lg.Send("work", { i })))
    .addEdge("work", lg.END)
    .compile();
  return async (): Promise<number> => {
    const out = await graph.invoke({ count: tasks });
    return out.total;
  };
}

interface LooseBuilder {
  addNode(name: string, fn: (s: { n: number }) => { n: number }): LooseBuilder;
  addEdge(from: string, to: string): LooseBuilder;
  compile(): { invoke(input: unknown, config?: unknown): Promise<unknown> };
}

// ---- The floor: the same work as an async generator and a for-await loop, no engine. ----

/** (a) without an engine: alternate two update functions, yield `{ node: update }` per step, merge into the state. */
export async function bareLoop(steps: number): Promise<{ chunks: number; last: number }> {
  const nodes: Record<string, (s: { n: number }) => { n: number }> = { a: (s) => ({ n: s.n + 1 }), b: (s) => ({ n: s.n + 1 }) };
  async function* run() {
    let state = { n: 0 };
    let node = "a";
    while (true) {
      const update = nodes[node]!(state);
      state = { ...state, ...update };
      yield { [node]: update };
      if (node === "b" && state.n >= steps) return;
      node = node === "a" ? "b" : "a";
    }
  }
  let chunks = 0;
  let last = 0;
  for await (const chunk of run()) {
    chunks += 1;
    last = (chunk[chunks % 2 === 1 ? "a" : "b"] as { n: number }).n;
  }
  return { chunks, last };
}

/** (b) without an engine: `length` functions applied in order through an async generator. */
export async function bareChain(length: number): Promise<number> {
  const nodes = Array.from({ length }, () => (s: { n: number }) => ({ n: s.n + 1 }));
  async function* run() {
    let state = { n: 0 };
    for (const node of nodes) {
      const update = node(state);
      state = { ...state, ...update };
      yield state;
    }
  }
  let last = { n: 0 };
  for await (const state of run()) last = state;
  return last.n;
}

/** (c) without an engine: the task function called once per input, each update yielded and reduced in order. */
export async function bareFanOut(tasks: number): Promise<number> {
  const work = (input: { i: number }) => ({ total: input.i });
  async function* run() {
    const inputs = Array.from({ length: tasks }, (_, i) => ({ i }));
    for (const input of inputs) yield work(input);
  }
  let total = 0;
  for await (const update of run()) total += update.total;
  return total;
}
