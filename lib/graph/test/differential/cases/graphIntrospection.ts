// A compiled graph's parts: `graph.nodes.<name>.invoke(...)` runs one node alone, `getSubgraphs()`
// lists the compiled graphs used as nodes (nested with `recurse`).
import type { DifferentialCase } from "../differentialCase";

export const graphIntrospection: DifferentialCase = {
  name: "nodes and getSubgraphs",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ items: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const graph = new lg.StateGraph(State)
      .addNode("one", (s) => {
        if (!s.items.length) throw new Error("State not found");
        return { items: [...s.items, "success"] };
      })
      .addNode("two", () => {
        throw new Error("Should not be called");
      })
      .addEdge(lg.START, "one")
      .addEdge("one", "two")
      .compile();
    await rec.value("one node alone", () => graph.nodes.one.invoke({ items: ["start"] }));
    await rec.value("one node alone, failing", () => graph.nodes.two.invoke({ items: [] }));

    const grandchild = new lg.StateGraph(State).addNode("g", () => ({})).addEdge(lg.START, "g").compile();
    const child = new lg.StateGraph(State).addNode("c", grandchild).addEdge(lg.START, "c").compile();
    const parent = new lg.StateGraph(State).addNode("p", child).addNode("plain", () => ({})).addEdge(lg.START, "p").addEdge("p", "plain").compile();
    const names = (list: Iterable<[string, unknown]>) => [...list].map(([name]) => name);
    await rec.value("getSubgraphs", () => names(parent.getSubgraphs()));
    await rec.value("getSubgraphs recursive", () => names(parent.getSubgraphs(undefined, true)));
    await rec.value("getSubgraphs of a namespace", () => names(parent.getSubgraphs("p|c", true)));
    await rec.value("getGraphAsync resolves", async () => typeof (await parent.getGraphAsync()));
  },
};
