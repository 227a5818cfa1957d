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

    // Checkpoints: no START step (the input checkpoint holds the first tasks, which run at step 0).
    const steps: string[] = [];
    const saved = new lg.Graph()
      .addNode("add_one", (x: number, config) => (steps.push(`add_one@${String(config.metadata?.langgraph_step)}`), x + 1))
      .addNode("double", (x: number, config) => (steps.push(`double@${String(config.metadata?.langgraph_step)}`), x * 2))
      .addEdge(lg.START, "add_one")
      .addEdge("add_one", "double")
      .addEdge("double", lg.END)
      .compile({ checkpointer: new lg.MemorySaver() });
    const thread = { configurable: { thread_id: "plain-1" } };
    await rec.value("with a checkpointer: result and node steps", async () => [await saved.invoke(2, thread), steps.splice(0)]);
    await rec.stream("tasks", () => chain.stream(2, { streamMode: "tasks" }));
    // The recursion limit counts the nodes' steps only (no START step).
    for (const recursionLimit of [1, 2]) await rec.value(`recursionLimit ${recursionLimit}`, () => chain.invoke(2, { recursionLimit }));
    await rec.stream("recursionLimit 1, streamed", () => chain.stream(2, { recursionLimit: 1 }));
    const paused = new lg.Graph()
      .addNode("add_one", (x: number) => x + 1)
      .addNode("double", (x: number) => x * 2)
      .addEdge(lg.START, "add_one")
      .addEdge("add_one", "double")
      .addEdge("double", lg.END)
      .compile({ checkpointer: new lg.MemorySaver(), interruptBefore: ["double"] });
    const pausedThread = { configurable: { thread_id: "plain-paused" } };
    await rec.value("interruptBefore: the stop, then the resumed result", async () => [await paused.invoke(2, pausedThread), (await paused.getState(pausedThread)).next, await paused.invoke(null, pausedThread)]);
    await rec.value("history: step, source, next", async () => {
      const out: unknown[] = [];
      for await (const snapshot of saved.getStateHistory(thread)) out.push([snapshot.metadata?.step, snapshot.metadata?.source, snapshot.next]);
      return out;
    });
  },
};
