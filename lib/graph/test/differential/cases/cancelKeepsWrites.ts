// Cancelling a run mid-step keeps the writes of the step's tasks that had finished (the thread's state
// shows them, and only the unfinished task runs again); nested subgraphs show their namespaces in "debug".
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const cancelKeepsWrites: DifferentialCase = {
  name: "cancel mid-step, nested debug",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const controller = new AbortController();
    let slowRuns = 0;
    const graph = new lg.StateGraph(State)
      .addNode("fast", () => ({ log: ["fast"] }))
      .addNode("slow", (_s, config: LangGraphRunnableConfig) => {
        slowRuns++;
        if (slowRuns > 1) return { log: ["slow"] };
        return new Promise<{ log: string[] }>((_resolve, reject) => {
          const keepAlive = setInterval(() => {}, 1000);
          config.signal?.addEventListener("abort", () => {
            clearInterval(keepAlive);
            reject(new Error("cancelled"));
          }, { once: true });
          setImmediate(() => setImmediate(() => controller.abort()));
        });
      })
      .addConditionalEdges(lg.START, () => ["fast", "slow"])
      .compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "cancel-1" } };
    await rec.stream("the cancelled run", () => graph.stream({ log: [] }, { ...config, signal: controller.signal, streamMode: "updates" }));
    await rec.value("state after cancelling", async () => {
      const s = await graph.getState(config);
      return { values: s.values, next: s.next, results: s.tasks.map((t) => [t.name, t.result ?? null]) };
    });
    await rec.value("continuing runs only the unfinished task", async () => ({ out: await graph.invoke(null, config), slowRuns }));

    const deep = new lg.StateGraph(State).addNode("leaf", () => ({ log: ["leaf"] })).addEdge(lg.START, "leaf").compile();
    const mid = new lg.StateGraph(State).addNode("deep", deep).addEdge(lg.START, "deep").compile();
    const top = new lg.StateGraph(State).addNode("mid", mid).addEdge(lg.START, "mid").compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("debug with nested subgraphs", () =>
      top.stream({ log: [] }, { configurable: { thread_id: "nested-debug" }, streamMode: "debug", subgraphs: true }),
    );
  },
};
