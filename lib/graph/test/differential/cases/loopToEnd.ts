// A loop that ends through a condition: an agent/tool cycle of a few steps, then END.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const loopToEnd: DifferentialCase = {
  name: "loop to END via a condition",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      count: lg.Annotation<number>(),
      trace: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const graph = new lg.StateGraph(State)
      .addNode("agent", (s) => ({ count: s.count + 1, trace: [`agent ${s.count}`] }))
      .addNode("tool", (s) => ({ trace: [`tool ${s.count}`] }))
      .addEdge(lg.START, "agent")
      .addConditionalEdges("agent", (s) => (s.count < 3 ? "tool" : lg.END))
      .addEdge("tool", "agent")
      .compile();
    for (const mode of ["updates", "values", "debug"] satisfies StreamMode[]) {
      await rec.stream(mode, () => graph.stream({ count: 0 }, { streamMode: mode }));
    }
    await rec.value("invoke", () => graph.invoke({ count: 0 }));

    // A self-loop on one node.
    const selfLoop = new lg.StateGraph(State)
      .addNode("tick", (s) => ({ count: s.count * 2 }))
      .addEdge(lg.START, "tick")
      .addConditionalEdges("tick", (s) => (s.count >= 100 ? lg.END : "tick"))
      .compile();
    await rec.stream("self-loop, updates", () => selfLoop.stream({ count: 3 }, { streamMode: "updates" }));
  },
};
