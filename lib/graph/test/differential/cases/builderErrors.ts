// Mistakes in building a graph: the error users see, at the moment they see it.
import type { DifferentialCase } from "../differentialCase";

export const builderErrors: DifferentialCase = {
  name: "builder errors",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ a: lg.Annotation<string>() });
    await rec.value("edge to an unknown node", () =>
      new lg.StateGraph(State).addNode("x", () => ({})).addEdge(lg.START, "x").addEdge("x", "nowhere" as "x").compile(),
    );
    await rec.value("edge from an unknown node", () =>
      new lg.StateGraph(State).addNode("x", () => ({})).addEdge(lg.START, "x").addEdge("nowhere" as "x", "x").compile(),
    );
    await rec.value("no entry point", () => new lg.StateGraph(State).addNode("x", () => ({})).compile());
    await rec.value("duplicate node name", () =>
      new lg.StateGraph(State).addNode("x", () => ({})).addNode("x", () => ({})),
    );
    await rec.value("node named like a state key", () => new lg.StateGraph(State).addNode("a" as never, () => ({})));
    await rec.value("reserved node name", () => new lg.StateGraph(State).addNode("__start__", () => ({})));
    await rec.value("invoke with no input key written", async () => {
      const g = new lg.StateGraph(State).addNode("x", (s) => ({ a: `${s.a}` })).addEdge(lg.START, "x").compile();
      return g.invoke({});
    });
  },
};
