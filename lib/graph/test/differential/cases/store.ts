// `compile({ store })`: nodes (and the nodes of subgraphs) find the long-term memory store as `config.store`.
import { InMemoryStore } from "@langchain/langgraph-checkpoint";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const store: DifferentialCase = {
  name: "store",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ user: lg.Annotation<string>(), memory: lg.Annotation<string>() });
    const memories = new InMemoryStore();
    const remember = async (s: typeof State.State, config: LangGraphRunnableConfig) => {
      await config.store!.put(["memories", s.user], "last", { text: `saw ${s.user}` });
      return {};
    };
    const recall = async (s: typeof State.State, config: LangGraphRunnableConfig) => {
      const item = await config.store!.get(["memories", s.user], "last");
      return { memory: String(item?.value.text) };
    };
    const sub = new lg.StateGraph(State).addNode("recall", recall).addEdge(lg.START, "recall").compile();
    const graph = new lg.StateGraph(State)
      .addNode("remember", remember)
      .addNode("sub", sub)
      .addEdge(lg.START, "remember")
      .addEdge("remember", "sub")
      .compile({ store: memories });
    await rec.value("nodes and subgraph nodes use the store", () => graph.invoke({ user: "ada" }));
    const noStore = new lg.StateGraph(State)
      .addNode("look", (_s, config: LangGraphRunnableConfig) => ({ memory: String(config.store) }))
      .addEdge(lg.START, "look")
      .compile();
    await rec.value("without a store", () => noStore.invoke({ user: "x" }));
  },
};
