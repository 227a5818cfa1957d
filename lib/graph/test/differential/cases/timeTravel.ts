// Time travel with interrupts: replaying an old checkpoint re-fires its interrupt, a fork made with
// updateState on an old checkpoint can be resumed with Command({ resume }) on the fork's config, and
// the thread's history only grows (forks append).
import type { RunnableConfig } from "@langchain/core/runnables";
import type { DifferentialCase } from "../differentialCase";

export const timeTravel: DifferentialCase = {
  name: "time travel with interrupts",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ value: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const graph = new lg.StateGraph(State)
      .addNode("node_a", () => ({ value: ["a"] }))
      .addNode("ask_human", () => ({ value: [`human:${lg.interrupt<string, string>("What is your input?")}`] }))
      .addNode("node_b", () => ({ value: ["b"] }))
      .addEdge(lg.START, "node_a")
      .addEdge("node_a", "ask_human")
      .addEdge("ask_human", "node_b")
      .compile({ checkpointer: new lg.MemorySaver() });
    const config = { configurable: { thread_id: "tt-1" } };
    const summary = async () => {
      const out: unknown[] = [];
      for await (const s of graph.getStateHistory(config)) out.push({ next: s.next, values: s.values, source: s.metadata?.source, step: s.metadata?.step });
      return out;
    };
    const beforeAsk = async () => {
      let found: { config: RunnableConfig } | undefined;
      for await (const s of graph.getStateHistory(config)) if (s.next.includes("ask_human")) found = s; // the oldest
      return found!;
    };
    await rec.value("first run stops at the interrupt", () => graph.invoke({ value: [] }, config));
    await rec.value("resume", () => graph.invoke(new lg.Command({ resume: "hello" }), config));
    await rec.value("history after the run", summary);
    await rec.value("replaying before the interrupt re-fires it", async () => graph.invoke(null, (await beforeAsk()).config));
    await rec.value("history after the replay", summary);
    let forkConfig: RunnableConfig = {};
    await rec.value("fork with updateState", async () => {
      forkConfig = await graph.updateState((await beforeAsk()).config, { value: ["forked"] });
      return Object.keys(forkConfig.configurable ?? {}).sort();
    });
    await rec.value("the fork runs to the interrupt", () => graph.invoke(null, forkConfig));
    await rec.value("resuming on the fork's config", () => graph.invoke(new lg.Command({ resume: "world" }), forkConfig));
    await rec.value("history after the fork", summary);
    await rec.value("updateState(old, null, \"__copy__\") copies it as a fork", async () => {
      const copyConfig = await graph.updateState((await beforeAsk()).config, null, "__copy__");
      const copy = await graph.getState(copyConfig);
      return { values: copy.values, next: copy.next, source: copy.metadata?.source, step: copy.metadata?.step };
    });
    await rec.value("the copy runs to the interrupt", async () => {
      const history = await summary();
      return history[0];
    });
  },
};
