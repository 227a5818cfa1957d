// getState of a thread stopped inside a subgraph: the subgraph task's `state` (its own snapshot with
// `{ subgraphs: true }`, else the config naming it).
import type { DifferentialCase } from "../differentialCase";

export const subgraphState: DifferentialCase = {
  name: "getState with subgraphs",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ data: lg.Annotation<string>() });
    const grandchild = new lg.StateGraph(State)
      .addNode("deep", (s) => ({ data: `${s.data}|${lg.interrupt<string, string>("Continue?")}` }))
      .addEdge(lg.START, "deep")
      .compile();
    const subgraph = new lg.StateGraph(State)
      .addNode("before", (s) => ({ data: `${s.data}|before` }))
      .addNode("inner", grandchild)
      .addEdge(lg.START, "before")
      .addEdge("before", "inner")
      .compile();
    const graph = new lg.StateGraph(State).addNode("sub", subgraph).addEdge(lg.START, "sub").compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "sub-state-1" } };
    await rec.value("run to the nested interrupt", () => graph.invoke({ data: "input" }, config));
    await rec.value("getState", () => graph.getState(config));
    await rec.value("getState with subgraphs", () => graph.getState(config, { subgraphs: true }));
  },
};
