// A loop that never ends hits recursionLimit: GraphRecursionError after everything before it was streamed.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const recursionLimit: DifferentialCase = {
  name: "recursionLimit",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ n: lg.Annotation<number>() });
    const forever = new lg.StateGraph(State)
      .addNode("ping", (s) => ({ n: s.n + 1 }))
      .addNode("pong", (s) => ({ n: s.n + 1 }))
      .addEdge(lg.START, "ping")
      .addEdge("ping", "pong")
      .addEdge("pong", "ping")
      .compile();
    for (const mode of ["updates", "values", "debug"] satisfies StreamMode[]) {
      await rec.stream(`limit 5, ${mode}`, () => forever.stream({ n: 0 }, { streamMode: mode, recursionLimit: 5 }));
    }
    await rec.stream("default limit (25), updates", () => forever.stream({ n: 0 }, { streamMode: "updates" }));
    await rec.value("invoke, limit 7", () => forever.invoke({ n: 0 }, { recursionLimit: 7 }));

    // A graph needing exactly N steps, at limits N-1, N and N+1.
    const State2 = lg.Annotation.Root({ n: lg.Annotation<number>() });
    const counted = new lg.StateGraph(State2)
      .addNode("step", (s) => ({ n: s.n + 1 }))
      .addEdge(lg.START, "step")
      .addConditionalEdges("step", (s) => (s.n < 4 ? "step" : lg.END))
      .compile();
    for (const limit of [3, 4, 5]) {
      await rec.value(`4-step graph, limit ${limit}`, () => counted.invoke({ n: 0 }, { recursionLimit: limit }));
    }
  },
};
