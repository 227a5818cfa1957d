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
  },
};
