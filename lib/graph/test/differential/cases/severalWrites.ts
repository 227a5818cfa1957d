// One task writing the same key more than once (a list of Commands, or Command.update as [key, value]
// pairs): "updates" shows one entry per write, "tasks"/"debug" results gather them under `$writes`.
import type { DifferentialCase } from "../differentialCase";

export const severalWrites: DifferentialCase = {
  name: "several writes to one key from one task",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      val: lg.Annotation<string>({ reducer: (a, b) => `${a}${b}`, default: () => "" }),
      other: lg.Annotation<string>(),
    });
    const graph = new lg.StateGraph(State)
      .addNode("commands", () => [new lg.Command({ update: { val: "a1" } }), new lg.Command({ update: { val: "a2", other: "o" } })])
      .addNode("pairs", () => new lg.Command({ update: [["val", "p1"], ["val", "p2"], ["val", "p3"]] }))
      .addNode("once", () => ({ val: "b" }))
      .addEdge(lg.START, "commands")
      .addEdge("commands", "pairs")
      .addEdge("pairs", "once")
      .compile();
    await rec.value("invoke", () => graph.invoke({ val: "" }));
    await rec.stream("updates", () => graph.stream({ val: "" }, { streamMode: "updates" }));
    await rec.stream("tasks", () => graph.stream({ val: "" }, { streamMode: "tasks" }));
    await rec.stream("debug", () => graph.stream({ val: "" }, { streamMode: "debug" }));
    // With a checkpointer, history's task results gather them the same way.
    const saved = new lg.StateGraph(State)
      .addNode("pairs", () => new lg.Command({ update: [["val", "p1"], ["val", "p2"]] }))
      .addEdge(lg.START, "pairs")
      .compile({ checkpointer: new lg.MemorySaver() });
    const thread = { configurable: { thread_id: "several-1" } };
    await rec.value("history's task results", async () => {
      await saved.invoke({ val: "" }, thread);
      const results: unknown[] = [];
      for await (const snapshot of saved.getStateHistory(thread)) results.push(snapshot.tasks.map((t) => t.result));
      return results;
    });
  },
};
