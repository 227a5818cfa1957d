// getState, updateState and getStateHistory on a thread, as a UI built on them reads the results.
import type { DifferentialCase } from "../differentialCase";

export const stateApi: DifferentialCase = {
  name: "getState, updateState, getStateHistory",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({
      topic: lg.Annotation<string>(),
      log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
    });
    const calls: string[] = [];
    const graph = new lg.StateGraph(State)
      .addNode("refine", (s) => {
        calls.push("refine");
        return { topic: `${s.topic}!`, log: ["refine"] };
      })
      .addNode("finish", () => {
        calls.push("finish");
        return { log: ["finish"] };
      })
      .addEdge(lg.START, "refine")
      .addEdge("refine", "finish")
      .addEdge("finish", lg.END)
      .compile({ checkpointer: new lg.MemorySaver() });
    const thread = { configurable: { thread_id: "thread-1" } };
    // What the saver keeps as metadata (snapshots add the thread_id; the saver's own list does not have it).
    const savedMetadata = async () => {
      const out: unknown[] = [];
      for await (const tuple of (graph.checkpointer as { list(config: unknown): AsyncIterable<{ metadata?: unknown }> }).list(thread)) out.push(tuple.metadata);
      return out;
    };

    await rec.value("getState of an unknown thread", () => graph.getState({ configurable: { thread_id: "nobody" } }));
    await rec.value("invoke", () => graph.invoke({ topic: "owls" }, thread));
    await rec.value("getState after the run", () => graph.getState(thread));
    await rec.value("getStateHistory after the run", () => collect(graph.getStateHistory(thread)));
    await rec.value("the saver's metadata after the run", savedMetadata);
    // A task that wrote nothing (an empty input, a node returning nothing) shows no result in history.
    const quiet = new lg.StateGraph(State)
      .addNode("silent", () => ({}))
      .addEdge(lg.START, "silent")
      .compile({ checkpointer: new lg.MemorySaver() });
    const quietThread = { configurable: { thread_id: "quiet-1" } };
    await rec.value("history of tasks that wrote nothing", async () => {
      await quiet.invoke({}, quietThread);
      return collect(quiet.getStateHistory(quietThread));
    });
    await rec.value("updateState returns a config", () => graph.updateState(thread, { topic: "edited", log: ["edit"] }));
    await rec.value("getState after updateState", () => graph.getState(thread));
    await rec.value("updateState asNode", () => graph.updateState(thread, { log: ["as refine"] }, "refine"));
    await rec.value("getState after updateState asNode", () => graph.getState(thread));
    await rec.stream("continue after updateState asNode", () => graph.stream(null, { ...thread, streamMode: "updates" }));
    await rec.value("getStateHistory at the end", () => collect(graph.getStateHistory(thread)));
    await rec.value("getStateHistory with limit 2", () => collect(graph.getStateHistory(thread, { limit: 2 })));

    // Replay from an earlier checkpoint: stream(null) with its checkpoint_id forks from there.
    await rec.value("replay from the first loop checkpoint", async () => {
      const history = await collect(graph.getStateHistory({ configurable: { thread_id: "replay" } }));
      await graph.invoke({ topic: "bats" }, { configurable: { thread_id: "replay" } });
      const all = await collect(graph.getStateHistory({ configurable: { thread_id: "replay" } }));
      const beforeRefine = all.find((s) => s.next.includes("refine"));
      calls.length = 0;
      const chunks: unknown[] = [];
      for await (const c of await graph.stream(null, { ...beforeRefine!.config, streamMode: "updates" })) chunks.push(c);
      const after = await graph.getState({ configurable: { thread_id: "replay" } });
      const historyAfter = await collect(graph.getStateHistory({ configurable: { thread_id: "replay" } }));
      return {
        historyBefore: history.length,
        chunks,
        nodesRun: [...calls],
        after: after.values,
        historyAfter: historyAfter.map((s) => ({ step: s.metadata?.step, source: s.metadata?.source, next: s.next })),
      };
    });

    // Without a checkpointer, the state API throws.
    const noSaver = new lg.StateGraph(State).addNode("refine", () => ({})).addEdge(lg.START, "refine").compile();
    await rec.value("getState without a checkpointer", () => noSaver.getState(thread));
  },
};

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
