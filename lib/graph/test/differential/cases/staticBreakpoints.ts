// Resuming past static breakpoints: `interruptBefore` inside a nested subgraph, and a
// `Command({ update })` sent to a graph stopped before a node.
import type { DifferentialCase } from "../differentialCase";

export const staticBreakpoints: DifferentialCase = {
  name: "static breakpoints: nested, and Command({ update }) at a breakpoint",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ myKey: lg.Annotation<string>() });
    const grandchild = new lg.StateGraph(State)
      .addNode("grandchild1", async (s) => ({ myKey: `${s.myKey} here` }))
      .addNode("grandchild2", async (s) => ({ myKey: `${s.myKey} and there` }))
      .addEdge(lg.START, "grandchild1")
      .addEdge("grandchild1", "grandchild2");
    const child = new lg.StateGraph(State).addNode("child1", grandchild.compile({ interruptBefore: ["grandchild2"] })).addEdge(lg.START, "child1");
    const app = new lg.StateGraph(State)
      .addNode("parent1", (s) => ({ myKey: `hi ${s.myKey}` }))
      .addNode("child", child.compile())
      .addNode("parent2", (s) => ({ myKey: `${s.myKey} and back again` }))
      .addEdge(lg.START, "parent1")
      .addEdge("parent1", "child")
      .addEdge("child", "parent2")
      .compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "nested-1" } };
    await rec.value("nested breakpoint stops the run", () => app.invoke({ myKey: "my value" }, config));
    await rec.value("invoke(null) continues past it", () => app.invoke(null, config));
    const config2 = { configurable: { thread_id: "nested-2" } };
    await rec.stream("stream with subgraphs to the breakpoint", () => app.stream({ myKey: "my value" }, { ...config2, subgraphs: true }));
    const config3 = { configurable: { thread_id: "nested-3" } };
    await rec.value("to the breakpoint again", () => app.invoke({ myKey: "my value" }, config3));
    // Replaying the grandchild's first step from the root graph runs the grandchild in its namespace.
    const outer = await app.getState(config3);
    const childState = await app.getState(outer.tasks[0].state as never);
    const grandchildHistory: Array<{ next: string[]; config: { configurable: Record<string, unknown> } }> = [];
    for await (const snapshot of app.getStateHistory(childState.tasks[0].state as never)) grandchildHistory.push(snapshot as never);
    const firstStep = grandchildHistory.find((snapshot) => snapshot.next.includes("grandchild1"))!;
    // (Compared by node names: LangGraph.js 1.7.3 names a fresh task id in the interrupt chunk's namespace.)
    const nodeNamespaces = (chunks: unknown[]) => chunks.map((chunk) => {
      const [ns, value] = chunk as [string[], unknown];
      return [ns.map((part) => part.split(":")[0]), value];
    });
    await rec.stream("replay a grandchild checkpoint from the root", () => app.stream(null, { ...firstStep.config, subgraphs: true }), nodeNamespaces);
    await rec.stream("stream(null) past it", () => app.stream(null, { ...config2, subgraphs: true }));

    const Foo = lg.Annotation.Root({ foo: lg.Annotation<string>() });
    const graph = new lg.StateGraph(Foo)
      .addNode("node1", async (s) => ({ foo: `${s.foo}|node-1` }))
      .addNode("node2", async (s) => ({ foo: `${s.foo}|node-2` }))
      .addEdge(lg.START, "node1")
      .addEdge("node1", "node2")
      .compile({ checkpointer: new lg.MemorySaver(), interruptBefore: ["node1"] });
    const thread = { configurable: { thread_id: "static-1" } };
    await rec.value("stops before node1", () => graph.invoke({ foo: "abc" }, thread));
    await rec.value("Command({ update }) at the breakpoint runs on", () => graph.invoke(new lg.Command({ update: { foo: "def" } }), thread));

    // A subgraph stopping at its breakpoint beside a parallel node: the root reports `__interrupt__: []`
    // once, after the values of the node that finished ("values" and "updates" alike).
    const Acc = lg.Annotation.Root({ myKey: lg.Annotation<string>({ reducer: (a, b) => a + b, default: () => "" }) });
    const inner = new lg.StateGraph(Acc)
      .addNode("inner1", async () => ({ myKey: "got here" }))
      .addNode("inner2", async () => ({ myKey: " and there" }))
      .addEdge(lg.START, "inner1")
      .addEdge("inner1", "inner2")
      .compile({ interruptBefore: ["inner2"] });
    const parallel = new lg.StateGraph(Acc)
      .addNode("inner", inner)
      .addNode("outer1", async () => ({ myKey: " and parallel" }))
      .addNode("outer2", async () => ({ myKey: " and back again" }))
      .addEdge(lg.START, "inner")
      .addEdge(lg.START, "outer1")
      .addEdge(["inner", "outer1"], "outer2")
      .compile({ checkpointer: new lg.MemorySaver() });
    const values = { configurable: { thread_id: "parallel-values" }, streamMode: "values" as const };
    await rec.stream("values: a subgraph breakpoint beside a parallel node", () => parallel.stream({ myKey: "" }, values));
    await rec.stream("values: resumed past it", () => parallel.stream(null, values));
    const updates = { configurable: { thread_id: "parallel-updates" }, streamMode: "updates" as const };
    await rec.stream("updates: a subgraph breakpoint beside a parallel node", () => parallel.stream({ myKey: "" }, updates));
  },
};
