// zod object states: a field's own zod default is written by the input (LangGraph.js parses the input
// with zod), so a run that writes nothing still returns it, and it wins over a registry default; a key
// declared again by the input schema with a different reducer is refused at construction.
import { z } from "zod";
import type { DifferentialCase } from "../differentialCase";

type ZodHelpers = typeof import("@langchain/langgraph/zod");

export const zodDefaults: DifferentialCase = {
  name: "zod defaults in the input, and a reducer declared twice",
  async run(side, rec) {
    const { lg } = side;
    const { registry } = (side.name === "langgraph" ? await import("@langchain/langgraph/zod") : lg) as unknown as ZodHelpers;
    const State = z.object({
      withZod: z.string().default("zod-default"),
      withRegistry: z.string().register(registry, { default: () => "registry-default" }),
      withBoth: z.string().default("zod-default").register(registry, { default: () => "registry-default" }),
      withNeither: z.string(),
    });
    const seen: unknown[] = [];
    const graph = new lg.StateGraph(State)
      .addNode("process", (state: unknown) => (seen.push(state), {}))
      .addEdge(lg.START, "process")
      .compile();
    await rec.stream("values and updates of a run writing nothing", () => graph.stream({}, { streamMode: ["values", "updates"] }));
    await rec.value("invoke({}) and what the node saw", async () => ({ result: await graph.invoke({}), seen }));
    await rec.value("a given value is kept", () => graph.invoke({ withZod: "given" }));
    const field = (fn: (a: number[], b: number[]) => number[]) => z.array(z.number()).default([]).register(registry, { reducer: { fn } });
    await rec.value("an input schema redeclaring a key with another reducer", async () => {
      new lg.StateGraph({ state: z.object({ numbers: field((a, b) => [...a, ...b]) }), input: z.object({ numbers: field((a, b) => [...b, ...a]) }) })
        .addNode("process", () => ({}))
        .addEdge(lg.START, "process")
        .compile();
      return "built";
    });
    const same = (a: number[], b: number[]) => [...a, ...b];
    await rec.value("an input schema redeclaring a key with the same reducer", async () => {
      const built = new lg.StateGraph({ state: z.object({ numbers: field(same) }), input: z.object({ numbers: field(same) }) })
        .addNode("process", () => ({}))
        .addEdge(lg.START, "process")
        .compile();
      return built.invoke({ numbers: [1] });
    });
  },
};
