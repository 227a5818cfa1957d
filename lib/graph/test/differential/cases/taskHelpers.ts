// LangGraph.js's helpers nodes call without their config (getConfig, getCurrentTaskInput, getWriter),
// isInterrupted on a run's result, Overwrite on a reducer key, and routes to nodes a graph does not have.
import type { DifferentialCase } from "../differentialCase";

export const taskHelpers: DifferentialCase = {
  name: "task helpers, Overwrite, isInterrupted",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      topic: lg.Annotation<string>(),
      items: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      seen: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });

    const helpers = new lg.StateGraph(State)
      .addNode("sync_reader", (state) => {
        const input = lg.getCurrentTaskInput<typeof State.State>();
        lg.getWriter()?.({ from: "sync_reader", topic: input.topic });
        return { seen: [`input=${input.topic} same=${input === state} node=${String(lg.getConfig().metadata?.langgraph_node)}`] };
      })
      .addNode("async_reader", async () => {
        await new Promise((resolve) => setImmediate(resolve));
        const input = lg.getCurrentTaskInput<typeof State.State>();
        lg.getWriter()?.({ from: "async_reader", items: input.items.length });
        return { seen: [`after await: ${input.topic} ${String(lg.getConfig().metadata?.langgraph_step)}`] };
      })
      .addNode("fan", () => new lg.Command({ goto: [new lg.Send("sent", { topic: "sent-arg" })] }), { ends: ["sent"] })
      .addNode("sent", (arg: { topic: string }) => ({ seen: [`send input ${JSON.stringify(lg.getCurrentTaskInput())} ${arg.topic}`] }))
      .addEdge(lg.START, "sync_reader")
      .addEdge("sync_reader", "async_reader")
      .addEdge("async_reader", "fan")
      .compile();
    await rec.stream("helpers inside nodes", () => helpers.stream({ topic: "cats" }, { streamMode: ["updates", "custom"] }));
    await rec.value("getConfig outside a node", () => lg.getConfig());

    const overwriting = new lg.StateGraph(State)
      .addNode("add", () => ({ items: ["a", "b"] }))
      .addNode("replace", () => ({ items: new lg.Overwrite(["only"]) }))
      .addNode("replace_json", () => ({ items: { __overwrite__: ["json"] } as unknown as string[] }))
      .addEdge(lg.START, "add")
      .addEdge("add", "replace")
      .addEdge("replace", "replace_json")
      .compile();
    await rec.stream("Overwrite replaces a reducer key", () => overwriting.stream({ topic: "t", items: ["start"] }, { streamMode: "values" }));
    const both = new lg.StateGraph(State)
      .addNode("a", () => ({ items: new lg.Overwrite(["from a"]) }))
      .addNode("b", () => ({ items: ["plain from b"] }))
      .addEdge(lg.START, "a")
      .addEdge(lg.START, "b")
      .compile();
    await rec.value("an Overwrite wins over a plain write of the same step", () => both.invoke({ topic: "t", items: ["start"] }));
    const twice = new lg.StateGraph(State)
      .addNode("a", () => ({ items: new lg.Overwrite(["from a"]) }))
      .addNode("c", () => ({ items: new lg.Overwrite(["from c"]) }))
      .addEdge(lg.START, "a")
      .addEdge(lg.START, "c")
      .compile();
    await rec.value("two Overwrites of one key in a step", () => twice.invoke({ topic: "t", items: ["start"] }));

    const checkpointer = new lg.MemorySaver();
    const asking = new lg.StateGraph(State)
      .addNode("ask", () => ({ topic: lg.interrupt<string, string>("which topic?") }))
      .addEdge(lg.START, "ask")
      .compile({ checkpointer });
    await rec.value("isInterrupted", async () => {
      const config = { configurable: { thread_id: "helpers-1" } };
      const first = await asking.invoke({ topic: "" }, config);
      const second = await asking.invoke(new lg.Command({ resume: "dogs" }), config);
      return [lg.isInterrupted(first), lg.isInterrupted(second), lg.isInterrupted(null), lg.isInterrupted({ __interrupt__: "no" })];
    });

    const routesAway = new lg.StateGraph(State)
      .addNode("x", () => new lg.Command({ goto: "not_here", update: { seen: ["x"] } }))
      .addNode("y", () => ({ seen: ["y"] }))
      .addEdge(lg.START, "x")
      .addConditionalEdges("x", () => ["y", "nowhere"])
      .compile();
    await rec.stream("routes to unknown nodes are dropped", () => routesAway.stream({ topic: "t" }, { streamMode: "updates" }));
  },
};
