// `compile({ checkpointer: true })` on a subgraph: it keeps its own state across calls within the
// parent's thread, under the namespace "<node>" (no task id), checkpointed by the parent's saver.
import type { DifferentialCase } from "../differentialCase";

export const persistentSubgraph: DifferentialCase = {
  name: "subgraph with checkpointer: true",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ myKey: lg.Annotation<string>() });
    const inner = new lg.StateGraph(
      lg.Annotation.Root({ myKey: lg.Annotation<string>({ reducer: (a, b) => a + b }), myOtherKey: lg.Annotation<string>() }),
    )
      .addSequence({
        inner_1: (state) => ({ myKey: " got here", myOtherKey: state.myKey }),
        inner_2: () => ({ myKey: " and there" }),
      })
      .addEdge(lg.START, "inner_1");
    const graph = new lg.StateGraph(State)
      .addNode("inner", inner.compile({ checkpointer: true }))
      .addEdge(lg.START, "inner")
      .addConditionalEdges("inner", ({ myKey }) => (myKey.split("there").length - 1 < 2 ? "inner" : lg.END))
      .compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "persistent-1" } };
    await rec.stream("stream with subgraphs", () => graph.stream({ myKey: "" }, { ...config, subgraphs: true }));
    await rec.value("the subgraph's history (values and next)", async () => {
      const out: unknown[] = [];
      for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: "persistent-1", checkpoint_ns: "inner" } })) {
        out.push({ values: snapshot.values, next: snapshot.next, step: snapshot.metadata?.step, source: snapshot.metadata?.source });
      }
      return out;
    });
    await rec.value("the subgraph's state", async () => {
      const snapshot = await graph.getState({ configurable: { thread_id: "persistent-1", checkpoint_ns: "inner" } });
      return { values: snapshot.values, next: snapshot.next };
    });
    await rec.value("a second run continues the subgraph's state", () => graph.invoke({ myKey: "" }, config));
  },
};
