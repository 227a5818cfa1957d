// Two parallel branches writing the same plain key in one step: InvalidUpdateError.
import type { StreamMode } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const invalidUpdate: DifferentialCase = {
  name: "parallel writes to a plain key",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ answer: lg.Annotation<string>(), other: lg.Annotation<string>() });
    const graph = new lg.StateGraph(State)
      .addNode("start", () => ({ other: "started" }))
      .addNode("left", () => ({ answer: "left" }))
      .addNode("right", () => ({ answer: "right" }))
      .addNode("after", () => ({ other: "never" }))
      .addEdge(lg.START, "start")
      .addEdge("start", "left")
      .addEdge("start", "right")
      .addEdge(["left", "right"], "after")
      .compile();
    for (const mode of ["updates", "values", "debug", "tasks"] satisfies StreamMode[]) {
      await rec.stream(mode, () => graph.stream({ answer: "" }, { streamMode: mode }));
    }
    await rec.value("invoke", () => graph.invoke({ answer: "" }));

    // Same key from parallel Sends.
    const viaSend = new lg.StateGraph(State)
      .addNode("w", (s) => ({ answer: s.other }))
      .addConditionalEdges(lg.START, () => [new lg.Send("w", { other: "1" }), new lg.Send("w", { other: "2" })])
      .compile();
    await rec.stream("two Sends write a plain key, updates", () => viaSend.stream({}, { streamMode: "updates" }), undefined, {
      // LangGraph.js 1.7.3 streams the update of every Send task but the last to finish when the step's
      // writes then fail (two pull tasks, above, both stream theirs). Rill streams every finished task's
      // update, whatever the kind of task, then throws the same error.
      reason: "LangGraph.js drops the last Send task's update when the step fails",
      rillExpectation(langgraph) {
        if (langgraph.kind !== "stream" || langgraph.chunks.length !== 1) {
          throw new Error(`LangGraph.js no longer drops the last Send update: ${JSON.stringify(langgraph)}`);
        }
        return { ...langgraph, chunks: [...langgraph.chunks, { w: { answer: "2" } }] };
      },
    });
  },
};
