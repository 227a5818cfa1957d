// Per-node options and run control, as users write them: errorHandler (own and setNodeDefaults'),
// cachePolicy with compile({ cache }), timeout (NodeTimeoutError), RunControl draining, durability "exit".
import type { StreamMode } from "@langchain/langgraph";
// LangGraph.js takes its cache from the checkpoint package; both engines get the same one.
import { InMemoryCache } from "@langchain/langgraph-checkpoint";
import type { DifferentialCase } from "../differentialCase";

export const nodeOptions: DifferentialCase = {
  name: "node options and run control",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ query: lg.Annotation<string>(), log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });

    const handled = new lg.StateGraph(State)
      .addNode("prepare", () => ({ log: ["prepare"] }))
      .addNode(
        "failing",
        (): { log: string[] } => {
          throw new Error("boom");
        },
        { retryPolicy: { maxAttempts: 2, initialInterval: 1, jitter: false, logWarning: false }, errorHandler: (_s, e) => new lg.Command({ update: { log: [`handled ${e.node}: ${e.error.message}`] }, goto: "recover" }) },
      )
      .addNode("recover", () => ({ log: ["recover"] }))
      .addEdge(lg.START, "prepare")
      .addEdge("prepare", "failing")
      .compile();
    for (const mode of ["updates", "values", "tasks", "debug"] satisfies StreamMode[]) await rec.stream(`errorHandler, ${mode}`, () => handled.stream({ query: "q" }, { streamMode: mode }));
    await rec.value("errorHandler, invoke", () => handled.invoke({ query: "q" }));

    const defaults = new lg.StateGraph(State)
      .setNodeDefaults({ errorHandler: (_s, e) => ({ log: [`default ${e.node}`] }) })
      .addNode("a", (): { log: string[] } => {
        throw new Error("a failed");
      })
      .addEdge(lg.START, "a")
      .compile();
    await rec.stream("setNodeDefaults errorHandler, updates", () => defaults.stream({ query: "q" }, { streamMode: "updates" }));
    await rec.value("compiled node options", async () => {
      const nodes = defaults.nodes as unknown as Record<string, { retryPolicy?: unknown; cachePolicy?: unknown; errorHandlerNode?: unknown }>;
      // (LangGraph.js also lists `__start__`, which Rill's graph.nodes leaves out.)
      return Object.keys(nodes).filter((name) => name !== "__start__").sort().map((name) => [name, nodes[name].retryPolicy ?? null, nodes[name].cachePolicy ?? null, nodes[name].errorHandlerNode ?? null]);
    });

    let rewrites = 0;
    const cached = new lg.StateGraph(State)
      .addNode("rewrite", (s) => {
        rewrites++;
        return { query: `q: ${s.query}` };
      }, { cachePolicy: { ttl: 60 } })
      .addNode("answer", () => ({ log: ["answered"] }))
      .addEdge(lg.START, "rewrite")
      .addEdge("rewrite", "answer")
      .compile({ cache: new InMemoryCache() });
    await rec.stream("cachePolicy, first run", () => cached.stream({ query: "x" }, { streamMode: "updates" }));
    await rec.stream("cachePolicy, same input again", () => cached.stream({ query: "x" }, { streamMode: "updates" }));
    await rec.stream("cachePolicy, cached run, tasks", () => cached.stream({ query: "x" }, { streamMode: "tasks" }));
    await rec.value("cachePolicy, node runs", async () => rewrites);

    const timed = new lg.StateGraph(State)
      .addNode("slow", async (_s, config) => {
        await new Promise((_, reject) => config.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
        return {};
      }, { timeout: 20 })
      .addEdge(lg.START, "slow")
      .compile();
    await rec.value("timeout, invoke", async () => {
      try {
        await timed.invoke({ query: "q" });
        return "no error";
      } catch (error) {
        const e = error as { name: string; node: string; kind: string; runTimeout: number };
        return [lg.isNodeTimeoutError(error), e.name, e.node, e.kind, e.runTimeout];
      }
    });

    let control = new lg.RunControl();
    const drained = new lg.StateGraph(State)
      .addNode("one", () => {
        control.requestDrain("sigterm");
        return { log: ["one"] };
      })
      .addNode("two", () => ({ log: ["two"] }))
      .addEdge(lg.START, "one")
      .addEdge("one", "two")
      .compile({ checkpointer: new lg.MemorySaver() });
    for (const durability of ["async", "exit"] as const) {
      const config = { configurable: { thread_id: `drain-${durability}` }, durability };
      control = new lg.RunControl();
      await rec.value(`drain (${durability}), invoke`, () => drained.invoke({ query: "q" }, { ...config, control }));
      await rec.value(`drain (${durability}), history`, async () => {
        const out: unknown[] = [];
        for await (const s of drained.getStateHistory(config)) out.push({ step: s.metadata?.step, source: s.metadata?.source, next: s.next, values: s.values });
        return out;
      });
      await rec.value(`drain (${durability}), continue`, () => drained.invoke(null, config));
    }
  },
};
