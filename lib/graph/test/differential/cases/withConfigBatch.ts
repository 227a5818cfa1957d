// `graph.withConfig(config)` binds config under every call's own, and `graph.batch(inputs)` runs many.
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const withConfigBatch: DifferentialCase = {
  name: "withConfig and batch",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ n: lg.Annotation<number>(), seen: lg.Annotation<string>() });
    const loop = new lg.StateGraph(State)
      .addNode("count", (s: typeof State.State, config: LangGraphRunnableConfig) => ({
        n: s.n + 1,
        seen: `user=${String(config.configurable?.user)} lang=${String(config.configurable?.lang)} tags=${JSON.stringify(config.tags ?? [])}`,
      }))
      .addConditionalEdges("count", (s) => (s.n >= 5 ? lg.END : "count"))
      .addEdge(lg.START, "count")
      .compile();
    const limited = loop.withConfig({ recursionLimit: 3, configurable: { user: "bound", lang: "fr" }, tags: ["bound"] });
    await rec.value("bound recursionLimit applies", () => limited.invoke({ n: 0 }));
    await rec.value("the call's recursionLimit wins", () => limited.invoke({ n: 0 }, { recursionLimit: 10 }));
    await rec.value("configurable and tags merge", () => limited.invoke({ n: 3 }, { recursionLimit: 10, configurable: { user: "call" }, tags: ["call"] }));
    await rec.value("the original graph is unchanged", () => loop.invoke({ n: 0 }));
    await rec.stream("stream uses the bound config", () => limited.stream({ n: 0 }, { streamMode: "updates" }));

    await rec.value("batch", () => loop.batch([{ n: 0 }, { n: 3 }, { n: 4 }]));
    await rec.value("batch with a config per input", () =>
      loop.batch([{ n: 0 }, { n: 0 }], [{ configurable: { user: "a" } }, { configurable: { user: "b" } }]),
    );
    await rec.value("batch rejects with a failed run's error", () => loop.batch([{ n: 4 }, { n: 0 }], { recursionLimit: 3 }));
    await rec.value("batch with returnExceptions", async () => {
      const results = await loop.batch([{ n: 4 }, { n: 0 }], { recursionLimit: 3 }, { returnExceptions: true });
      return results.map((r) => (r instanceof Error ? `${r.name}: ${r.message.split("\n")[0]}` : r));
    });
  },
};
