// Compile-time checks (run by `npm run typecheck`): stream() item types come from types.ts, without
// casts, for every way the server and users call it; every compiled graph is a plain CompiledStateGraph.
import {
  Annotation,
  START,
  StateGraph,
  type ChunkByMode,
  type CompiledStateGraph,
  type DebugChunk,
  type MessageTuple,
  type Namespace,
  type StreamMode,
  type StreamPart,
  type UpdatesChunk,
} from "../index";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_ok?: T): void {}

const State = Annotation.Root({ topic: Annotation<string>(), joke: Annotation<string>() });
type S = typeof State.State;
const graph = new StateGraph(State).addNode("a", (s) => ({ topic: s.topic })).addEdge(START, "a").compile();

// Every compiled graph is assignable to the plain type (graphs/graphDefinition.ts relies on it).
const plain: CompiledStateGraph = graph;

export async function streamTypes(modes: StreamMode[]) {
  // A list of modes: StreamPart, typed, usable by the server without a cast.
  for await (const part of plain.stream({ topic: "x" }, { streamMode: modes })) {
    const typed: StreamPart = part;
    void typed;
  }
  for await (const part of await graph.stream({ topic: "x" }, { streamMode: modes })) {
    expectType<Equal<typeof part, StreamPart<S>>>();
  }
  for await (const part of graph.stream({ topic: "x" }, { streamMode: ["updates", "messages"] })) {
    expectType<Equal<typeof part, ["updates", UpdatesChunk] | ["messages", MessageTuple]>>();
  }
  // A single mode: bare chunks.
  for await (const chunk of graph.stream({ topic: "x" }, { streamMode: "values" })) expectType<Equal<typeof chunk, S>>();
  for await (const chunk of graph.stream({ topic: "x" }, { streamMode: "debug" })) expectType<Equal<typeof chunk, DebugChunk>>();
  for await (const chunk of graph.stream({ topic: "x" })) expectType<Equal<typeof chunk, UpdatesChunk>>();
  // subgraphs: namespaced tuples.
  for await (const item of graph.stream({ topic: "x" }, { streamMode: "updates", subgraphs: true })) {
    expectType<Equal<typeof item, [Namespace, UpdatesChunk]>>();
  }
  for await (const item of graph.stream({ topic: "x" }, { streamMode: ["values", "custom"], subgraphs: true })) {
    expectType<Equal<typeof item, [Namespace, "values", S] | [Namespace, "custom", ChunkByMode<S>["custom"]]>>();
  }
  for (const chunk of graph.streamSync({ topic: "x" }, { streamMode: "values" })) expectType<Equal<typeof chunk, S>>();
  const final = await graph.invoke({ topic: "x" });
  expectType<Equal<typeof final, S>>();
}
