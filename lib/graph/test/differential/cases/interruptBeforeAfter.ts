// compile({ interruptBefore, interruptAfter }): the run pauses around named nodes; stream(null) continues it.
import type { DifferentialCase } from "../differentialCase";

export const interruptBeforeAfter: DifferentialCase = {
  name: "interruptBefore and interruptAfter",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ a: lg.Annotation<string>(), b: lg.Annotation<string>(), c: lg.Annotation<string>() });
    const build = (options: { interruptBefore?: ("x" | "y" | "z")[]; interruptAfter?: ("x" | "y" | "z")[] }) =>
      new lg.StateGraph(State)
        .addNode("x", () => ({ a: "x" }))
        .addNode("y", () => ({ b: "y" }))
        .addNode("z", () => ({ c: "z" }))
        .addEdge(lg.START, "x")
        .addEdge("x", "y")
        .addEdge("y", "z")
        .addEdge("z", lg.END)
        .compile({ checkpointer: new lg.MemorySaver(), ...options });

    const summary = async (graph: ReturnType<typeof build>, thread_id: string) => {
      const snap = await graph.getState({ configurable: { thread_id } });
      return { values: snap.values, next: snap.next, tasks: snap.tasks, metadata: snap.metadata };
    };

    const before = build({ interruptBefore: ["y"] });
    const t1 = { configurable: { thread_id: "before" } };
    await rec.stream("before y, updates+values", () => before.stream({ a: "" }, { ...t1, streamMode: ["updates", "values"] }));
    await rec.value("before y, state", () => summary(before, "before"));
    await rec.stream("before y, continue, updates+values", () => before.stream(null, { ...t1, streamMode: ["updates", "values"] }));
    await rec.value("before y, state at the end", () => summary(before, "before"));
    await rec.stream("before y, debug", () => before.stream({ a: "" }, { configurable: { thread_id: "before-debug" }, streamMode: "debug" }));
    await rec.value("before y, invoke", () => before.invoke({ a: "" }, { configurable: { thread_id: "before-invoke" } }));

    const after = build({ interruptAfter: ["x", "y"] });
    const t2 = { configurable: { thread_id: "after" } };
    await rec.stream("after x and y, first", () => after.stream({ a: "" }, { ...t2, streamMode: "updates" }));
    await rec.value("after x and y, state 1", () => summary(after, "after"));
    await rec.stream("after x and y, second", () => after.stream(null, { ...t2, streamMode: "updates" }));
    await rec.stream("after x and y, third", () => after.stream(null, { ...t2, streamMode: ["updates", "values"] }));
    await rec.value("after x and y, state at the end", () => summary(after, "after"));

    // Per-call options override the compiled ones.
    const plain = build({});
    await rec.stream("interruptBefore given to stream()", () =>
      plain.stream({ a: "" }, { configurable: { thread_id: "per-call" }, interruptBefore: ["z"], streamMode: "updates" }),
    );
    await rec.value("interruptBefore given to stream(), state", () => summary(plain, "per-call"));
  },
};
