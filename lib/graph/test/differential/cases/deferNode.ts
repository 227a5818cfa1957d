// `addNode(..., { defer: true })`: the node runs once every other branch has finished, once.
import type { DifferentialCase } from "../differentialCase";

export const deferNode: DifferentialCase = {
  name: "defer: true",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      query: lg.Annotation<string>(),
      answer: lg.Annotation<string>(),
      docs: lg.Annotation<string[]>({ reducer: (x, y) => [...x, ...y].sort() }),
    });
    for (const waitingEdge of [false, true]) {
      const builder = new lg.StateGraph(State)
        .addNode("rewrite_query", (s) => ({ query: `query: ${s.query}` }))
        .addNode("analyzer_one", (s) => ({ query: `analyzed: ${s.query}` }))
        .addNode("retriever_one", () => ({ docs: ["doc1", "doc2"] }))
        .addNode("retriever_two", async () => {
          for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
          return { docs: ["doc3", "doc4"] };
        })
        .addNode("qa", (s) => ({ answer: s.docs?.join(",") }), { defer: true })
        .addEdge(lg.START, "rewrite_query")
        .addEdge("rewrite_query", "retriever_one")
        .addEdge("retriever_one", "analyzer_one")
        .addEdge("rewrite_query", "retriever_two");
      if (waitingEdge) builder.addEdge(["retriever_one", "retriever_two"], "qa");
      else builder.addEdge("retriever_one", "qa").addEdge("retriever_two", "qa");
      const app = builder.addEdge("qa", lg.END).compile();
      const label = waitingEdge ? "waiting edge" : "two edges";
      await rec.value(`${label}: invoke`, () => app.invoke({ query: "what is weather in sf" }));
      await rec.stream(`${label}: updates`, () => app.stream({ query: "what is weather in sf" }));
      await rec.stream(`${label}: debug`, () => app.stream({ query: "what is weather in sf" }, { streamMode: "debug" }));
      // Stopped before the deferred node, an updateState (as the last node) keeps it next.
      const paused = builder.compile({ checkpointer: new lg.MemorySaver(), interruptBefore: ["qa"] });
      const thread = { configurable: { thread_id: `defer-${label}` } };
      await rec.value(`${label}: stops before the deferred node`, () => paused.invoke({ query: "what is weather in sf" }, thread));
      await rec.value(`${label}: updateState keeps it next`, async () => {
        await paused.updateState(thread, { docs: ["doc5"] });
        const state = await paused.getState(thread);
        return { next: state.next, values: state.values };
      });
      await rec.value(`${label}: which then runs`, () => paused.invoke(null, thread));
    }
    const checkpointed = new lg.StateGraph(State)
      .addNode("first", () => ({ docs: ["a"] }))
      .addNode("late", (s) => ({ answer: s.docs.join("+") }), { defer: true })
      .addNode("second", () => ({ docs: ["b"] }))
      .addEdge(lg.START, "first")
      .addEdge("first", "late")
      .addEdge("first", "second")
      .compile({ checkpointer: new lg.MemorySaver(), interruptBefore: ["second"] });
    const config = { configurable: { thread_id: "defer-1" } };
    await rec.value("a deferred node waits across an interrupt", () => checkpointed.invoke({ query: "q", docs: [] }, config));
    await rec.value("and runs after resuming", () => checkpointed.invoke(null, config));
  },
};
