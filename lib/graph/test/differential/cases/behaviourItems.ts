// Smaller behaviours of LangGraph.js: updateState(config, null) with no asNode, Command({ resume, goto }),
// NodeInterrupt's interrupt entries, a graph invoked inside a node without a config.
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const behaviourItems: DifferentialCase = {
  name: "smaller behaviours",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });

    const asking = new lg.StateGraph(State)
      .addNode("ask", () => ({ log: [`answer:${lg.interrupt<string, string>("q?")}`] }), { ends: ["other"] })
      .addNode("other", () => ({ log: ["other"] }))
      .addNode("after", () => ({ log: ["after"] }))
      .addEdge(lg.START, "ask")
      .addEdge("ask", "after")
      .compile({ checkpointer: new lg.MemorySaver() });
    const c1 = { configurable: { thread_id: "b-1" } };
    await rec.value("interrupt", () => asking.invoke({ log: [] }, c1));
    await rec.value("Command({ resume, goto })", () => asking.invoke(new lg.Command({ resume: "yes", goto: "other" }), c1));
    await rec.value("state after resume+goto", async () => {
      const s = await asking.getState(c1);
      return { values: s.values, next: s.next };
    });

    const c2 = { configurable: { thread_id: "b-2" } };
    await rec.value("interrupt again", () => asking.invoke({ log: [] }, c2));
    await rec.value("updateState(config, null) without asNode", async () => {
      await asking.updateState(c2, null);
      const s = await asking.getState(c2);
      return { values: s.values, next: s.next, source: s.metadata?.source, writes: (s.metadata as Record<string, unknown> | undefined)?.writes };
    });

    const legacy = new lg.StateGraph(State)
      .addNode("stop", () => {
        throw new lg.NodeInterrupt("stop here");
      })
      .addEdge(lg.START, "stop")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("NodeInterrupt entries", () => legacy.stream({ log: [] }, { configurable: { thread_id: "b-3" }, streamMode: ["updates", "values"] }));

    const warnsInEdge = new lg.StateGraph(State)
      .addNode("nodeOne", () => ({ log: ["one"] }))
      .addNode("nodeTwo", () => ({ log: ["two"] }))
      .addEdge(lg.START, "nodeOne")
      .addConditionalEdges("nodeOne", (): "nodeTwo" => {
        throw new lg.NodeInterrupt("Interrupted");
      }, [lg.END, "nodeTwo"])
      .compile();
    await rec.value("a NodeInterrupt in a conditional edge warns", async () => {
      const warnings: unknown[][] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args);
      try {
        return { result: await warnsInEdge.invoke({ log: [] }), warnings };
      } catch (error) {
        return { threw: (error as Error).name, warnings };
      } finally {
        console.warn = warn;
      }
    });

    const inner = new lg.StateGraph(State)
      .addNode("inner_node", (_s, config: LangGraphRunnableConfig) => {
        config.writer?.({ thread: config.configurable?.thread_id ?? null });
        return { log: ["inner"] };
      })
      .addEdge(lg.START, "inner_node")
      .compile();
    const outer = new lg.StateGraph(State)
      .addNode("caller", async (s) => {
        const out = await inner.invoke(s);
        return { log: out.log };
      })
      .addEdge(lg.START, "caller")
      .compile({ checkpointer: new lg.MemorySaver() });
    await rec.stream("a graph invoked without config inherits the caller's", () =>
      outer.stream({ log: [] }, { configurable: { thread_id: "b-4" }, streamMode: ["updates", "custom"], subgraphs: true }),
    );
  },
};
