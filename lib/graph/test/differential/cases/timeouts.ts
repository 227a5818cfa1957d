// Time limits: a compiled graph's `stepTimeout` and a run's `config.timeout` abort the run and reach the
// running node through `config.signal`. The waiting node ends only when its signal aborts, so the cases do
// not depend on how fast the machine is.
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const timeouts: DifferentialCase = {
  name: "stepTimeout and config.timeout",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const seen: string[] = [];
    const waitForAbort = (_s: unknown, config: LangGraphRunnableConfig) =>
      new Promise<{ log: string[] }>((_resolve, reject) => {
        // Timeout signals do not keep the process alive; this timer does while the node waits.
        const keepAlive = setInterval(() => {}, 1000);
        config.signal?.addEventListener("abort", () => {
          clearInterval(keepAlive);
          seen.push("aborted");
          reject(new Error("the node saw its signal abort"));
        }, { once: true });
      });
    const build = () =>
      new lg.StateGraph(State)
        .addNode("quick", () => ({ log: ["quick"] }))
        .addNode("waits", waitForAbort)
        .addNode("after", () => ({ log: ["after"] }))
        .addEdge(lg.START, "quick")
        .addEdge("quick", "waits")
        .addEdge("waits", "after")
        .compile();

    const stepLimited = build();
    stepLimited.stepTimeout = 20;
    await rec.stream("stepTimeout aborts the step", () => stepLimited.stream({ log: [] }, { streamMode: "updates" }));
    await rec.value("stepTimeout: the node saw the abort", () => seen.splice(0));
    await rec.value("stepTimeout, invoke", () => stepLimited.invoke({ log: [] }));
    seen.length = 0;

    const plain = build();
    await rec.stream("config.timeout aborts the run", () => plain.stream({ log: [] }, { streamMode: "updates", timeout: 20 }));
    await rec.value("config.timeout: the node saw the abort", () => seen.splice(0));

    const fast = new lg.StateGraph(State).addNode("quick", () => ({ log: ["quick"] })).addEdge(lg.START, "quick").compile();
    fast.stepTimeout = 10_000;
    await rec.value("a run within its limits finishes", () => fast.invoke({ log: [] }, { timeout: 10_000 }));
  },
};
