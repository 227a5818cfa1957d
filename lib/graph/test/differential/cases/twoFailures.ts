// Failures in one step: a task that fails because another's failure aborted the step is not reported
// (the run throws the first error); two independent failures throw an AggregateError.
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { DifferentialCase } from "../differentialCase";

export const twoFailures: DifferentialCase = {
  name: "two failing tasks in one step",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ log: lg.Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    const waitsForAbort = (_s: unknown, config: LangGraphRunnableConfig) =>
      new Promise<{ log: string[] }>((_resolve, reject) => {
        const keepAlive = setInterval(() => {}, 1000);
        config.signal?.addEventListener("abort", () => {
          clearInterval(keepAlive);
          reject(new Error("aborted because another task failed"));
        }, { once: true });
      });
    const bad = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error("I am bad");
    };
    const aborting = new lg.StateGraph(State)
      .addNode("agent", waitsForAbort)
      .addNode("bad", bad)
      .addConditionalEdges(lg.START, () => ["agent", "bad"])
      .compile();
    await rec.value("the first error alone", () => aborting.invoke({ log: [] }));
    await rec.stream("updates and tasks", () => aborting.stream({ log: [] }, { streamMode: ["updates", "tasks"] }));

    const both = new lg.StateGraph(State)
      .addNode("one", () => {
        throw new Error("one failed");
      })
      .addNode("two", () => {
        throw new Error("two failed");
      })
      .addConditionalEdges(lg.START, () => ["one", "two"])
      .compile();
    await rec.value("two independent failures", async () => {
      try {
        return await both.invoke({ log: [] });
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message, errors: ((error as AggregateError).errors ?? []).map((e: Error) => e.message) };
      }
    });
  },
};
