// reference/cases/03_fanout.mjs: two parallel nodes in one superstep writing to a reducer channel, then a join.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const fanout: DifferentialCase = {
  name: "03 parallel fan-out and join",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      topic: lg.Annotation<string>(),
      items: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const graph = new lg.StateGraph(State)
      .addNode("a", async (s) => {
        // "a" finishes after "b": updates come in completion order, reducers apply in node-name order.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { items: [`a:${s.topic}`] };
      })
      .addNode("b", async (s) => ({ items: [`b:${s.topic}`] }))
      .addNode("join", (s) => ({ topic: `${s.topic} (${s.items.length} items)` }))
      .addEdge(lg.START, "a")
      .addEdge(lg.START, "b")
      .addEdge(["a", "b"], "join")
      .addEdge("join", lg.END)
      .compile();

    const input = { topic: "ice cream" };
    for (const mode of ["updates", "values", "debug", "tasks"] satisfies StreamMode[]) {
      await rec.stream(mode, () => graph.stream(input, { streamMode: mode }));
    }
    await rec.value("invoke", () => graph.invoke(input));
  },
};
