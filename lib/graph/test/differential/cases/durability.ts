// `durability`: "sync" and "async" save every step's checkpoint; "exit" only the one the run stops or ends at.
import type { DifferentialCase } from "../differentialCase";

export const durability: DifferentialCase = {
  name: "durability",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const graph = new lg.StateGraph(State)
      .addNode("one", () => ({ log: ["one"] }))
      .addNode("ask", () => ({ log: [`ask:${lg.interrupt<string, string>("?")}`] }))
      .addNode("two", () => ({ log: ["two"] }))
      .addEdge(lg.START, "one")
      .addEdge("one", "ask")
      .addEdge("ask", "two")
      .compile({ checkpointer: new lg.MemorySaver() });
    for (const mode of ["sync", "async", "exit"] as const) {
      const config = { configurable: { thread_id: `durability-${mode}` }, durability: mode };
      await rec.value(`${mode}: run and resume`, async () => [await graph.invoke({ log: [] }, config), await graph.invoke(new lg.Command({ resume: "y" }), config)]);
      await rec.value(`${mode}: history`, async () => {
        const out: unknown[] = [];
        for await (const s of graph.getStateHistory(config)) out.push({ step: s.metadata?.step, source: s.metadata?.source, next: s.next, values: s.values });
        return out;
      });
    }
    // A subgraph stopped inside a run with durability "exit": its checkpoint names the parent's (parents "").
    const inner = new lg.StateGraph(State)
      .addNode("deep", () => ({ log: [`deep:${lg.interrupt<string, string>("?")}`] }))
      .addEdge(lg.START, "deep")
      .compile();
    const outer = new lg.StateGraph(State).addNode("sub", inner).addEdge(lg.START, "sub").compile({ checkpointer: new lg.MemorySaver() });
    const exitThread = { configurable: { thread_id: "exit-sub" }, durability: "exit" as const };
    await rec.value("exit: a subgraph's checkpoint names its parent's", async () => {
      await outer.invoke({ log: [] }, exitThread);
      const state = await outer.getState(exitThread, { subgraphs: true });
      const sub = state.tasks[0].state as { metadata: { parents: Record<string, string> } };
      return Object.keys(sub.metadata.parents);
    });
  },
};
