// configurable.__pregel_node_finished (LangGraph.js's CONFIG_KEY_NODE_FINISHED): called with each node whose
// task finished, subgraphs' nodes included, not for a task stopped at a breakpoint inside its subgraph.
import type { DifferentialCase } from "../differentialCase";

export const nodeFinished: DifferentialCase = {
  name: "node-finished hook",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ my_key: lg.Annotation<string>({ reducer: (_a: string, b: string) => b, default: () => "" }) });
    const grandchild = new lg.StateGraph(State)
      .addNode("grandchild_1", async (s) => ({ my_key: `${s.my_key} here` }))
      .addNode("grandchild_2", async (s) => ({ my_key: `${s.my_key} and there` }))
      .addEdge(lg.START, "grandchild_1")
      .addEdge("grandchild_1", "grandchild_2")
      .compile({ interruptBefore: ["grandchild_2"] });
    const child = new lg.StateGraph(State).addNode("child_1", grandchild).addEdge(lg.START, "child_1").compile();
    const app = new lg.StateGraph(State)
      .addNode("parent_1", async (s) => ({ my_key: `hi ${s.my_key}` }))
      .addNode("child", child)
      .addNode("parent_2", async (s) => ({ my_key: `${s.my_key} and back again` }))
      .addEdge(lg.START, "parent_1")
      .addEdge("parent_1", "child")
      .addEdge("child", "parent_2")
      .compile({ checkpointer: new lg.MemorySaver() });
    const finished: string[] = [];
    const config = { configurable: { thread_id: "finished-1", __pregel_node_finished: (node: string) => finished.push(node) } };
    await rec.stream("until the breakpoint", () => app.stream({ my_key: "my value" }, config));
    await rec.value("finished so far", () => [...finished]);
    await rec.stream("resumed", () => app.stream(null, config));
    await rec.value("finished in all", () => [...finished]);
  },
};
