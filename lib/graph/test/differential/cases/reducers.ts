// State channels as users declare them: reducers with and without defaults, plain keys, keys missing
// from the input, nodes returning nothing, and parallel writes merged in a fixed order.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const reducers: DifferentialCase = {
  name: "reducers with defaults",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      total: lg.Annotation<number>({ reducer: (a, b) => a + b, default: () => 10 }),
      tags: lg.Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => ["start"] }),
      counter: lg.Annotation<number>({ reducer: (a, b) => (a ?? 0) * 10 + b }), // no default
      label: lg.Annotation<string>(),
    });
    const graph = new lg.StateGraph(State)
      .addNode("first", () => ({ total: 1, tags: ["first"], counter: 1 }))
      .addNode("second", () => ({ total: 2, tags: ["second"], counter: 2 }))
      .addNode("third", () => ({ total: 3, tags: ["third"], counter: 3, label: "3" }))
      .addNode("nothing", () => ({}))
      .addNode("undefined", () => undefined as unknown as Partial<typeof State.State>)
      .addNode("last", (s) => ({ label: `total=${s.total} tags=${s.tags.join(",")} counter=${s.counter}` }))
      .addEdge(lg.START, "first")
      .addEdge(lg.START, "second")
      .addEdge(lg.START, "third")
      .addEdge(["first", "second", "third"], "nothing")
      .addEdge("nothing", "undefined")
      .addEdge("undefined", "last")
      .addEdge("last", lg.END)
      .compile();

    for (const mode of ["values", "updates", "debug"] satisfies StreamMode[]) {
      await rec.stream(`empty input, ${mode}`, () => graph.stream({}, { streamMode: mode }));
    }
    await rec.stream("input writes through the reducers, values", () =>
      graph.stream({ total: 5, tags: ["in"], counter: 7 }, { streamMode: "values" }),
    );
    await rec.value("invoke", () => graph.invoke({ label: "x" }));

    // A node returning a key the state does not declare.
    const unknownKey = new lg.StateGraph(State)
      .addNode("stray", () => ({ label: "ok", stray: 1 }) as Partial<typeof State.State>)
      .addEdge(lg.START, "stray")
      .compile();
    await rec.stream("node returns an undeclared key, updates", () => unknownKey.stream({}, { streamMode: "updates" }));
    await rec.value("node returns an undeclared key, invoke", () => unknownKey.invoke({}));
    await rec.value("input has an undeclared key, invoke", () =>
      unknownKey.invoke({ label: "in", other: true } as Partial<typeof State.State>),
    );
  },
};
