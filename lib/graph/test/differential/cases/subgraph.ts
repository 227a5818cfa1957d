// reference/cases/04_subgraph.mjs: a compiled subgraph used as a node, sharing the "topic" key with its parent.
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const subgraph: DifferentialCase = {
  name: "04 subgraph as a node",
  async run({ lg }, rec) {
    const SubState = lg.Annotation.Root({ topic: lg.Annotation<string>(), sub_note: lg.Annotation<string>() });
    const sub = new lg.StateGraph(SubState)
      .addNode("sub_a", (s) => ({ sub_note: `sub_a saw ${s.topic}` }))
      .addNode("sub_b", (s, config: LangGraphRunnableConfig) => {
        config.writer?.({ from: "sub_b" });
        return { topic: s.topic + " (via subgraph)" };
      })
      .addEdge(lg.START, "sub_a")
      .addEdge("sub_a", "sub_b")
      .addEdge("sub_b", lg.END)
      .compile();

    const ParentState = lg.Annotation.Root({ topic: lg.Annotation<string>(), joke: lg.Annotation<string>() });
    const graph = new lg.StateGraph(ParentState)
      .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
      .addNode("child", sub)
      .addNode("generate_joke", (s) => ({ joke: `This is a joke about ${s.topic}` }))
      .addEdge(lg.START, "refine_topic")
      .addEdge("refine_topic", "child")
      .addEdge("child", "generate_joke")
      .addEdge("generate_joke", lg.END)
      .compile();

    const input = { topic: "ice cream" };
    await rec.stream("updates, subgraphs", () => graph.stream(input, { streamMode: "updates", subgraphs: true }));
    await rec.stream("values, subgraphs", () => graph.stream(input, { streamMode: "values", subgraphs: true }));
    await rec.stream("updates+custom, subgraphs", () =>
      graph.stream(input, { streamMode: ["updates", "custom"], subgraphs: true }),
    );
    await rec.stream("updates, no subgraphs", () => graph.stream(input, { streamMode: "updates" }));
    await rec.stream("custom, no subgraphs", () => graph.stream(input, { streamMode: "custom" }));
    await rec.stream("debug, subgraphs", () => graph.stream(input, { streamMode: "debug", subgraphs: true }));
    await rec.stream("tasks, subgraphs", () => graph.stream(input, { streamMode: "tasks", subgraphs: true }));
    await rec.value("invoke", () => graph.invoke(input));

    // With a checkpointer: the subgraph's checkpoints carry its namespace and their parent's checkpoint.
    const saved = new lg.StateGraph(ParentState)
      .addNode("refine_topic", (s) => ({ topic: s.topic + " and cats" }))
      .addNode("child", sub)
      .addEdge(lg.START, "refine_topic")
      .addEdge("refine_topic", "child")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("checkpoints with MemorySaver, subgraphs", () =>
      saved.stream(input, { configurable: { thread_id: "sub-ckpt" }, streamMode: "checkpoints", subgraphs: true }),
    );
    await rec.value("getState with MemorySaver", async () => {
      const snap = await saved.getState({ configurable: { thread_id: "sub-ckpt" } });
      return { values: snap.values, next: snap.next, metadata: snap.metadata };
    });
  },
};
