// The plain `Graph` (no state schema): each node receives what the node before it returned.
import type { DifferentialCase } from "../differentialCase";

export const plainGraph: DifferentialCase = {
  name: "plain Graph",
  async run({ lg }, rec) {
    const chain = new lg.Graph()
      .addNode("add_one", (x: number) => x + 1)
      .addNode("double", async (x: number) => x * 2)
      .addEdge(lg.START, "add_one")
      .addEdge("add_one", "double")
      .addEdge("double", lg.END)
      .compile();
    await rec.value("invoke", () => chain.invoke(2));
    await rec.value("batch", () => chain.batch([3, 2, 1]));
    await rec.stream("updates", () => chain.stream(2));
    // Not compared (Rill differs, see lib/graph/README.md): "values" chunks, and conditional edges (LangGraph.js
    // 1.7.3's Graph does not pass the value along them: the run stops after the branching node).
    for (const falsy of [0, "", null, false]) {
      const g = new lg.Graph().addNode("falsy", (() => falsy) as () => string).addEdge(lg.START, "falsy").addEdge("falsy", lg.END).compile();
      await rec.value(`falsy result ${JSON.stringify(falsy)}`, () => g.invoke(1));
    }
  },
};
