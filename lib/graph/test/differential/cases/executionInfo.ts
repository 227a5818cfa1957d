// What a node learns about its own execution: `runtime.executionInfo` (checkpoint, namespace, task,
// thread, attempt) and `runtime.serverInfo` (LangGraph Server ids from the config).
import type { Runtime } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const executionInfo: DifferentialCase = {
  name: "executionInfo and serverInfo",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ message: lg.Annotation<string>() });
    const seen: unknown[] = [];
    const capture = (label: string) => (_s: unknown, runtime: Runtime) => {
      const info = runtime.executionInfo;
      seen.push({ label, ...info, nodeFirstAttemptTime: typeof info?.nodeFirstAttemptTime, serverInfo: runtime.serverInfo ?? "none" });
      return { message: label };
    };
    const sub = new lg.StateGraph(State).addNode("sub_node", capture("sub")).addEdge(lg.START, "sub_node").compile();
    let failures = 0;
    const graph = new lg.StateGraph(State)
      .addNode("main_node", capture("main"))
      .addNode("subgraph", sub)
      .addNode("flaky", (s: unknown, runtime: Runtime) => {
        capture("flaky")(s, runtime);
        if (failures++ < 1) throw new Error("once");
        return { message: "flaky" };
      }, { retryPolicy: { initialInterval: 1, jitter: false, logWarning: false } })
      .addEdge(lg.START, "main_node")
      .addEdge("main_node", "subgraph")
      .addEdge("subgraph", "flaky")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.value("with a checkpointer and a thread", async () => {
      await graph.invoke({ message: "hi" }, { configurable: { thread_id: "t-1", assistant_id: "asst", graph_id: "g" } });
      return seen.splice(0);
    });
    const plain = new lg.StateGraph(State).addNode("only", capture("only")).addEdge(lg.START, "only").compile();
    await rec.value("without a checkpointer", async () => {
      await plain.invoke({ message: "hi" }, { metadata: { assistant_id: "meta-asst" } });
      await plain.invoke({ message: "hi" }, { configurable: { langgraph_auth_user: { identity: "me" } } });
      await plain.invoke({ message: "hi" });
      return seen.splice(0);
    });
  },
};
