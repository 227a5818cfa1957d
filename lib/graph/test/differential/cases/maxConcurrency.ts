// `config.maxConcurrency` bounds how many tasks of one step run at once (here 20 Sends, at most 5 at a time).
import type { DifferentialCase } from "../differentialCase";

export const maxConcurrency: DifferentialCase = {
  name: "maxConcurrency",
  async run({ lg }, rec) {
    const State = lg.Annotation.Root({ done: lg.Annotation<number[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
    let active = 0;
    let most = 0;
    const graph = new lg.StateGraph(State)
      .addNode("work", async (arg: { i: number }) => {
        active++;
        most = Math.max(most, active);
        for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
        active--;
        return { done: [arg.i] };
      })
      .addConditionalEdges(lg.START, () => Array.from({ length: 20 }, (_, i) => new lg.Send("work", { i })))
      .compile();
    await rec.value("20 tasks with maxConcurrency 5", async () => {
      const result = await graph.invoke({ done: [] }, { maxConcurrency: 5 });
      return { sorted: [...result.done].sort((a, b) => a - b), most };
    });
    most = 0;
    await rec.value("without a limit", async () => {
      await graph.invoke({ done: [] });
      return { most };
    });
  },
};
