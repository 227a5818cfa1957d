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
    // History: the task running the subgraph names its checkpoints; the subgraph's own history and
    // state (found through that config) carry checkpoint_map, and its tasks name the grandchild's.
    const history = await graph.getStateHistory(config);
    const snapshots: Array<{ tasks: Array<{ state?: unknown }> }> = [];
    for await (const snapshot of history as AsyncIterable<{ tasks: Array<{ state?: unknown }> }>) snapshots.push(snapshot);
    await rec.value("getStateHistory", async () => snapshots);
    const subConfig = snapshots[0].tasks[0].state as { configurable: Record<string, unknown> };
    await rec.value("getStateHistory of the subgraph", async () => {
      const out: unknown[] = [];
      for await (const snapshot of graph.getStateHistory(subConfig)) out.push(snapshot);
      return out;
    });
    await rec.value("getState of the subgraph", () => graph.getState(subConfig));
  },
};
