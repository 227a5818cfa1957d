// Time travel straight to a subgraph's checkpoint: the config getState gives for the subgraph's
// namespace (checkpoint_ns + checkpoint_map) passed to the parent's invoke replays the parent checkpoint
// the subgraph checkpoint was made under and restarts the subgraph at it: its interrupt fires again
// (the old resume value is not reused) and the nodes before it do not run. updateState on that config
// forks the subgraph's checkpoint; invoking the fork runs from it.
import type { DifferentialCase } from "../differentialCase";

export const subgraphTimeTravel: DifferentialCase = {
  name: "time travel to a subgraph checkpoint (checkpoint_ns + checkpoint_map)",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ value: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const called: string[] = [];
    const executor = new lg.StateGraph(State)
      .addNode("step_a", () => (called.push("step_a"), { value: ["a"] }))
      .addNode("ask_1", () => (called.push("ask_1"), { value: [`ask_1:${lg.interrupt("Q1")}`] }))
      .addNode("ask_2", () => (called.push("ask_2"), { value: [`ask_2:${lg.interrupt("Q2")}`] }))
      .addEdge(lg.START, "step_a")
      .addEdge("step_a", "ask_1")
      .addEdge("ask_1", "ask_2")
      .compile({ checkpointer: true });
    const graph = new lg.StateGraph(State).addNode("executor", executor).addEdge(lg.START, "executor").compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "sub-tt-1" } };
    await graph.invoke({ value: [] }, config);
    const atFirst = await graph.getState({ configurable: { thread_id: "sub-tt-1", checkpoint_ns: "executor" } }, { subgraphs: true });
    const shape = (c: { configurable?: Record<string, unknown> }) => ({
      keys: Object.keys(c.configurable ?? {}),
      ns: c.configurable?.checkpoint_ns,
      mapKeys: Object.keys((c.configurable?.checkpoint_map as object | undefined) ?? {}),
      idIsMapped: (c.configurable?.checkpoint_map as Record<string, unknown> | undefined)?.[c.configurable?.checkpoint_ns as string] === c.configurable?.checkpoint_id,
    });
    await rec.value("the subgraph state's config", async () => shape(atFirst.config));
    await graph.invoke(new lg.Command({ resume: "x1" }), config);
    await graph.invoke(new lg.Command({ resume: "x2" }), config);
    await rec.value("replay from the subgraph's first interrupt", async () => {
      called.length = 0;
      const result = await graph.invoke(null, atFirst.config);
      return { result, called: [...called] };
    });
    const forkConfig = await graph.updateState(atFirst.config, { value: ["forked"] });
    await rec.value("updateState on the subgraph's checkpoint", async () => shape(forkConfig));
    await rec.value("the fork run, then a resume", async () => {
      called.length = 0;
      const forked = await graph.invoke(null, forkConfig);
      const resumed = await graph.invoke(new lg.Command({ resume: "y1" }), config);
      return { forked, resumed, called: [...called] };
    });
  },
};

/** Three levels: a fork of the middle subgraph's checkpoint (updateState without asNode, nothing run there yet) keeps its next node. */
export const middleSubgraphTimeTravel: DifferentialCase = {
  name: "time travel to a middle subgraph's checkpoint and a fork of it",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ value: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const called: string[] = [];
    const inner = new lg.StateGraph(State)
      .addNode("step_a", () => (called.push("step_a"), { value: ["a"] }))
      .addNode("ask_1", () => (called.push("ask_1"), { value: [`ask_1:${lg.interrupt("Q1")}`] }))
      .addEdge(lg.START, "step_a")
      .addEdge("step_a", "ask_1")
      .compile({ checkpointer: true });
    const middle = new lg.StateGraph(State).addNode("inner", inner).addEdge(lg.START, "inner").compile({ checkpointer: true });
    const graph = new lg.StateGraph(State).addNode("outer", middle).addEdge(lg.START, "outer").compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "mid-tt-1" } };
    await graph.invoke({ value: [] }, config);
    const mid = await graph.getState({ configurable: { thread_id: "mid-tt-1", checkpoint_ns: "outer" } }, { subgraphs: true });
    await graph.invoke(new lg.Command({ resume: "x1" }), config);
    const fork = await graph.updateState(mid.config, { value: ["forked"] });
    await rec.value("the middle fork's state", async () => {
      const state = await graph.getState(fork);
      return { next: state.next, values: state.values, source: state.metadata?.source };
    });
    await rec.value("the middle fork's run", async () => {
      called.length = 0;
      const result = await graph.invoke(null, fork);
      return { result, called: [...called] };
    });
  },
};
