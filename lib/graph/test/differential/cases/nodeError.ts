// reference/cases/05_error.mjs: a node that throws; everything before it is streamed, then the stream throws.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const nodeError: DifferentialCase = {
  name: "05 a node throws",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ topic: lg.Annotation<string>(), joke: lg.Annotation<string>() });
    const graph = new lg.StateGraph(State)
      .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
      .addNode("generate_joke", (): { joke: string } => {
        throw new Error("boom in generate_joke");
      })
      .addEdge(lg.START, "refine_topic")
      .addEdge("refine_topic", "generate_joke")
      .addEdge("generate_joke", lg.END)
      .compile();

    const input = { topic: "ice cream" };
    for (const mode of ["updates", "values", "debug", "tasks"] satisfies StreamMode[]) {
      await rec.stream(mode, () => graph.stream(input, { streamMode: mode }));
    }
    await rec.stream("updates+custom", () => graph.stream(input, { streamMode: ["updates", "custom"] }));
    await rec.value("invoke", () => graph.invoke(input));

    // A custom error class keeps its identity through the stream.
    class QuotaError extends Error {
      override name = "QuotaError";
    }
    const custom = new lg.StateGraph(State)
      .addNode("call", (): { joke: string } => {
        throw new QuotaError("quota exceeded");
      })
      .addEdge(lg.START, "call")
      .compile();
    await rec.stream("custom error class, debug", () => custom.stream(input, { streamMode: "debug" }));
  },
};
