// config.signal: aborting cancels the run and reaches the running node.
import type { DifferentialCase } from "../differentialCase";

export const cancellation: DifferentialCase = {
  name: "cancellation with config.signal",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ a: lg.Annotation<string>(), b: lg.Annotation<string>() });

    const alreadyAborted = new AbortController();
    alreadyAborted.abort(new Error("stop before start"));
    const simple = new lg.StateGraph(State)
      .addNode("x", () => ({ a: "x" }))
      .addEdge(lg.START, "x")
      .compile();
    await rec.stream("signal aborted before the run", () =>
      simple.stream({ a: "" }, { signal: alreadyAborted.signal, streamMode: "updates" }),
    );

    // The node waits on its own signal: abort must reach it.
    const controller = new AbortController();
    const waits = new lg.StateGraph(State)
      .addNode("first", () => ({ a: "first" }))
      .addNode("waits", async (_s, config) => {
        await new Promise((_resolve, reject) => {
          config.signal?.addEventListener("abort", () => reject(config.signal?.reason), { once: true });
          controller.abort(); // the caller cancels while this node is running
        });
        return { b: "never" };
      })
      .addEdge(lg.START, "first")
      .addEdge("first", "waits")
      .compile();
    await rec.stream("abort while a node runs, updates", () =>
      waits.stream({ a: "" }, { signal: controller.signal, streamMode: "updates" }),
    );
  },
};
