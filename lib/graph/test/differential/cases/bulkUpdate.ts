// bulkUpdateState: supersteps of updates, each superstep's updates (with their asNode) in one checkpoint.
import type { DifferentialCase } from "../differentialCase";

export const bulkUpdate: DifferentialCase = {
  name: "bulkUpdateState",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ foo: lg.Annotation<string>(), baz: lg.Annotation<string>() });
    const graph = new lg.StateGraph(State)
      .addNode("nodeA", () => ({ foo: "bar" }))
      .addNode("nodeB", () => ({ baz: "qux" }))
      .addEdge(lg.START, "nodeA")
      .addEdge("nodeA", "nodeB")
      .compile({ checkpointer: new lg.MemorySaver() });
    const history = async (thread: string) => {
      const out: unknown[] = [];
      for await (const s of graph.getStateHistory({ configurable: { thread_id: thread } })) out.push({ values: s.values, next: s.next, source: s.metadata?.source, step: s.metadata?.step });
      return out;
    };
    const config = { configurable: { thread_id: "bulk-1" } };
    await rec.value("one update", () => graph.bulkUpdateState(config, [{ updates: [{ values: { foo: "bar" }, asNode: "nodeA" }] }]).then(() => history("bulk-1")));
    await rec.value("two updates in one superstep", async () => {
      await graph.bulkUpdateState(config, [{ updates: [{ values: { foo: "updated" }, asNode: "nodeA" }, { values: { baz: "new" }, asNode: "nodeB" }] }]);
      return history("bulk-1");
    });
    await rec.value("several supersteps", async () => {
      const config2 = { configurable: { thread_id: "bulk-2" } };
      await graph.bulkUpdateState(config2, [
        { updates: [{ values: { foo: "a" }, asNode: "__start__" }] },
        { updates: [{ values: { foo: "b" }, asNode: "nodeA" }] },
        { updates: [{ values: { baz: "c" }, asNode: "nodeB" }] },
      ]);
      return history("bulk-2");
    });
    await rec.value("cloning a thread with __input__ and __start__ updates", async () => {
      const Foo = lg.Annotation.Root({ foo: lg.Annotation<string>() });
      const g = new lg.StateGraph(Foo)
        .addNode("agent", () => ({ foo: "agent" }))
        .addNode("tool", () => ({ foo: "tool" }))
        .addEdge(lg.START, "agent")
        .addEdge("agent", "tool")
        .compile({ checkpointer: new lg.MemorySaver() });
      await g.invoke({ foo: "input" }, { configurable: { thread_id: "orig" } });
      const turn = [
        { updates: [{ values: { foo: "input" }, asNode: "__input__" }] },
        { updates: [{ values: { foo: "input" }, asNode: "__start__" }] },
        { updates: [{ values: { foo: "agent" }, asNode: "agent" }] },
        { updates: [{ values: { foo: "tool" }, asNode: "tool" }] },
      ];
      await g.bulkUpdateState({ configurable: { thread_id: "clone" } }, turn);
      const map = async (thread: string) => {
        const out: unknown[] = [];
        for await (const s of g.getStateHistory({ configurable: { thread_id: thread } })) out.push({ values: s.values, next: s.next, step: s.metadata?.step, source: s.metadata?.source });
        return out;
      };
      return { original: await map("orig"), clone: await map("clone"), state: (await g.getState({ configurable: { thread_id: "clone" } })).values };
    });
    await rec.value("several updates need asNode", () => graph.bulkUpdateState(config, [{ updates: [{ values: { foo: "x" } }, { values: { baz: "y" } }] }]));
    await rec.value("no supersteps", () => graph.bulkUpdateState(config, []));

    // A thread cloned superstep by superstep: a Command as a node's update goes where its gotos (Sends) say.
    const MapState = lg.Annotation.Root({ foo: lg.Annotation<string>(), tasks: lg.Annotation<number[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const mapReduce = new lg.StateGraph(MapState)
      .addNode("agent", () => ({ foo: "agent" }))
      .addNode("map", () => new lg.Command({ goto: [0, 1].map((index) => new lg.Send("task", { index })), update: { foo: "map" } }), { ends: ["task"] })
      .addNode("task", (t: { index: number }) => ({ tasks: [t.index] }))
      .addEdge(lg.START, "agent")
      .addEdge("agent", "map")
      .compile({ checkpointer: new lg.MemorySaver() });
    const clone = { configurable: { thread_id: "clone-1" } };
    await rec.value("a Command as an update schedules its Sends", async () => {
      await mapReduce.bulkUpdateState(clone, [
        { updates: [{ values: { foo: "input" }, asNode: "__input__" }] },
        { updates: [{ values: { foo: "input" }, asNode: "__start__" }] },
        { updates: [{ values: { foo: "agent" }, asNode: "agent" }] },
        { updates: [{ values: new lg.Command({ goto: [0, 1].map((index) => new lg.Send("task", { index })), update: { foo: "map" } }), asNode: "map" }] },
      ]);
      const state = await mapReduce.getState(clone);
      return { values: state.values, next: state.next };
    });
    await rec.value("and the clone runs on from there", () => mapReduce.invoke(null, clone));
  },
};
